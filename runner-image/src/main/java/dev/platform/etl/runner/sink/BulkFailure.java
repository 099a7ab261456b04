package dev.platform.etl.runner.sink;

import dev.platform.etl.runner.retry.HttpStatusFailure;

/**
 * A bulk request that Elasticsearch answered, but not for every document. The status tells the
 * retry policy whether to send the batch again (429, 5xx) or to fail the run.
 */
public class BulkFailure extends RuntimeException implements HttpStatusFailure {
    private final int status;

    public BulkFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
