package dev.platform.etl.runner.source;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads the next batch while the current one is written, so the source query and the target
 * write overlap. At most one batch is read ahead; it is never committed before its turn, so a
 * pause or a failure simply drops it, and the next run reads it again from the checkpoint.
 */
public final class PrefetchingReader implements SourceReader {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread prefetch = new Thread(r, "reader-prefetch");
        prefetch.setDaemon(true);
        return prefetch;
    });
    private final Callable<Optional<SourceBatch>> read;
    private Future<Optional<SourceBatch>> ahead;

    /** @param read reads one batch from the underlying reader (with its retries), on the prefetch thread only */
    public PrefetchingReader(Callable<Optional<SourceBatch>> read) {
        this.read = read;
        this.ahead = thread.submit(read);
    }

    @Override
    public Optional<SourceBatch> next() throws Exception {
        if (ahead == null) {
            return Optional.empty();
        }
        Optional<SourceBatch> batch;
        try {
            batch = ahead.get();
        } catch (ExecutionException e) {
            ahead = null;
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        ahead = batch.isPresent() ? thread.submit(read) : null;
        return batch;
    }

    /** Stops reading ahead and waits for a read in flight, before the underlying reader is closed. */
    @Override
    public void close() {
        if (ahead != null) {
            ahead.cancel(true);
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
