package dev.platform.etl.runner.run;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Reads and prepares the next batch while the current one is written, so the source query, the
 * encoding and the target write overlap. At most one batch is ahead; it is never committed before
 * its turn, so a pause or a failure simply drops it, and the next run reads it again from the
 * checkpoint.
 */
final class ReadAhead<T> implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread readAhead = new Thread(r, "read-ahead");
        readAhead.setDaemon(true);
        return readAhead;
    });
    private final Callable<Optional<T>> next;
    private CompletableFuture<Optional<T>> ahead;

    /** @param next gives the next item, or empty at the end; called on the read-ahead thread only */
    ReadAhead(Callable<Optional<T>> next) {
        this.next = next;
        this.ahead = readNext();
    }

    private CompletableFuture<Optional<T>> readNext() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return next.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, thread);
    }

    /** Completes when {@link #next} would return at once, with an item or a failure. */
    CompletableFuture<?> whenReady() {
        return ahead == null ? CompletableFuture.completedFuture(null) : ahead;
    }

    Optional<T> next() throws Exception {
        if (ahead == null) {
            return Optional.empty();
        }
        Optional<T> item;
        try {
            item = ahead.get();
        } catch (ExecutionException e) {
            ahead = null;
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        ahead = item.isPresent() ? readNext() : null;
        return item;
    }

    /** Stops reading ahead and waits for a read in flight, before the reader underneath is closed. */
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
