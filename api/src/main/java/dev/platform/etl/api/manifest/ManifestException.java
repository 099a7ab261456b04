package dev.platform.etl.api.manifest;

/** A manifest that cannot be read or does not describe exactly one pipeline. */
public class ManifestException extends Exception {
    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
