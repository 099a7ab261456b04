package dev.platform.etl.api.manifest;

import java.util.Optional;
import java.util.Set;

/** Values of the Kubernetes Secrets a pipeline references, by Secret name and key. */
public interface Secrets {
    Optional<String> value(String secretName, String key);

    /** The key whose values are not confidential: user names appear in the databases' own messages. */
    String USERNAME_KEY = "username";

    /**
     * Every value given that must never be printed: passwords, API keys, and URLs, which may carry
     * credentials of their own; not user names.
     */
    Set<String> confidentialValues();

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
