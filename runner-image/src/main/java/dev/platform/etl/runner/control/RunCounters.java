package dev.platform.etl.runner.control;

/** What a run has done so far: committed batches and their rows. */
public record RunCounters(long rowsRead, long rowsWritten, long batches) {
    public static final RunCounters ZERO = new RunCounters(0, 0, 0);

    public RunCounters plus(RunCounters other) {
        return new RunCounters(rowsRead + other.rowsRead, rowsWritten + other.rowsWritten, batches + other.batches);
    }

    public RunCounters plusBatch(long read, long written) {
        return new RunCounters(rowsRead + read, rowsWritten + written, batches + 1);
    }
}
