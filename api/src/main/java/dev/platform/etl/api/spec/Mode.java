package dev.platform.etl.api.spec;

public enum Mode {
    /** The whole reader output is upserted on every run. */
    Full,
    /** Only rows after the checkpoint, by keyset on (cursor, tie-breaker). */
    Incremental
}
