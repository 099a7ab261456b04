package dev.platform.etl.runner.sink;

/**
 * A bulk request that Elasticsearch answered, but not for every document. The status tells the
 * retry policy whether to send the batch again (429, 5xx) or to fail the run.
 */
public class BulkFailure extends RuntimeException {
    private final int status;

    public BulkFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
