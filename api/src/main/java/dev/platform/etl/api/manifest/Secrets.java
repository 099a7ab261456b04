package dev.platform.etl.api.manifest;

import java.util.Optional;

/** Values of the Kubernetes Secrets a pipeline references, by Secret name and key. */
@FunctionalInterface
public interface Secrets {
    Optional<String> value(String secretName, String key);

    default String require(String secretName, String key) {
        return value(secretName, key).orElseThrow(() -> new MissingSecretException(
                "Secret '" + secretName + "' has no key '" + key + "' (or was not provided)"));
    }

    class MissingSecretException extends RuntimeException {
        public MissingSecretException(String message) {
            super(message);
        }
    }
}
