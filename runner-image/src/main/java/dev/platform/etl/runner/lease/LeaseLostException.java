package dev.platform.etl.runner.lease;

import dev.platform.etl.runner.retry.PermanentFailure;

/** This runner no longer holds the pipeline's lease: another runner took it over. */
public class LeaseLostException extends RuntimeException implements PermanentFailure {
    public LeaseLostException(String pipeline, long token) {
        super("lost the lease of " + pipeline + " (token " + token + "): it expired or another runner took over; this batch was not committed");
    }
}
