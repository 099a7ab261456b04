package dev.platform.etl.runner.retry;

/** A failure that a server answered with an HTTP status; {@link ErrorClassifier} decides from the status. */
public interface HttpStatusFailure {
    int status();
}
