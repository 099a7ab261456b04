package dev.platform.etl.runner.lease;

/** This runner no longer holds the pipeline's lease: another runner took it over. */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String pipeline, long token) {
        super("lost the lease of " + pipeline + " (token " + token + "): another runner took over; nothing more is committed");
    }
}
