package dev.platform.etl.runner.retry;

/** What a failing operation was doing: the same error can be transient in one stage and not in another. */
public enum Stage {
    /** Reading the source. */
    READ,
    /** Writing a batch to the target, with its checkpoint. */
    WRITE,
    /** Talking to the control schema. */
    CONTROL
}
