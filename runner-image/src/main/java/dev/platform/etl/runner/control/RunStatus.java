package dev.platform.etl.runner.control;

/** {@code etl.pipeline_run.status}. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, PAUSED, SKIPPED, ABANDONED
}
