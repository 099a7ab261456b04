package dev.platform.etl.runner.source;

/**
 * Where a batch ends: at {@code rows} rows, or sooner, once the values read take about
 * {@code bytes}, so that a table of wide rows cannot exhaust the heap. A batch holds at least
 * one row.
 */
public record BatchLimit(int rows, long bytes) {
    /** The share of the heap one batch's values may take: a batch exists in a few forms at once, and two batches are in hand. */
    private static final int BATCHES_PER_HEAP = 16;
    private static final long SMALLEST = 1 << 20;
    private static final int FIRST_FETCH = 100;

    /**
     * How many rows to ask the database for at once, given what rows have taken so far: the
     * driver holds them all before the first is read, so rows as wide as the ones read so far
     * fit the limit's bytes. Before any row was read, a few: their width is not known yet.
     *
     * @param bytesPerRow about what a row read so far takes, or 0 before any was read
     */
    int rowsToFetch(long bytesPerRow) {
        return bytesPerRow == 0 ? Math.min(rows, FIRST_FETCH) : (int) Math.max(1, Math.min(rows, bytes / bytesPerRow));
    }

    /** {@code rows}, and a share of this JVM's heap. */
    public static BatchLimit ofHeap(int rows) {
        return new BatchLimit(rows, Math.max(SMALLEST, Runtime.getRuntime().maxMemory() / BATCHES_PER_HEAP));
    }
}
