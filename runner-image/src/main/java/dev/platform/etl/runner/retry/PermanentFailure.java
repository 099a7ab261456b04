package dev.platform.etl.runner.retry;

/**
 * A failure that no retry can mend, whatever its causes say: implemented by the exceptions of the
 * packages above this one, so that {@link ErrorClassifier} need not know them.
 */
public interface PermanentFailure {
}
