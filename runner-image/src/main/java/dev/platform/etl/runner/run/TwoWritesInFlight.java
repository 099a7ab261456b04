package dev.platform.etl.runner.run;

import dev.platform.etl.runner.retry.ErrorClassifier;
import dev.platform.etl.runner.retry.Stage;
import dev.platform.etl.runner.sink.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next batch's write is sent, once the lease has been confirmed, before the previous write has
 * been answered. Each checkpoint still commits only after its own and every earlier write
 * succeeded, so checkpoints stay in order; a pause or a failure settles (or drops) the write in
 * flight first, and the run never ends before the target has answered every write it was sent.
 */
final class TwoWritesInFlight implements BatchWrites {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoop.class);

    private final FencedWriter writer;
    private final ExecutorService sender = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "write-in-flight");
        thread.setDaemon(true);
        return thread;
    });
    /** The batch whose write was sent last and is not settled yet, or null. */
    private InFlight inFlight;
    /** Every write sent and not answered yet, settled or not. */
    private final List<InFlight> unanswered = new ArrayList<>();

    TwoWritesInFlight(FencedWriter writer) {
        this.writer = writer;
    }

    /** A batch whose write has been sent and not yet settled. */
    private record InFlight(long number, ReadyBatch batch, CompletableFuture<Sink.Written> written) {
    }

    @Override
    public boolean awaitTurn(CompletableFuture<?> nextBatchReady, BooleanSupplier stopping) throws Exception {
        if (inFlight == null) {
            return false;
        }
        // whichever comes first: the next batch read (a second write goes out), or the answer to the one in flight
        CompletableFuture.anyOf(nextBatchReady, inFlight.written()).handle((done, failure) -> null).join();
        return (inFlight.written().isDone() || stopping.getAsBoolean()) && settle();
    }

    @Override
    public boolean write(long number, ReadyBatch batch) throws Exception {
        InFlight sent = send(number, batch);
        InFlight previous = inFlight;
        inFlight = sent;
        return settleBefore(previous);
    }

    @Override
    public void finish() throws Exception {
        settle();
    }

    /** A failure elsewhere (reading the next batch, say) still keeps the write in flight, if it succeeds. */
    @Override
    public void afterFailure() {
        try {
            settle();
        } catch (Exception e) {
            LOG.warn("{}: the batch in flight when the run failed was not committed: {}", writer.pipeline(), ErrorClassifier.describe(e));
        }
    }

    @Override
    public void close() {
        awaitUnansweredWrites();
        sender.shutdownNow();
    }

    /**
     * A write the run no longer commits (its predecessor failed, say) may still be applied by the
     * target: the run keeps its lease, and so stays the only writer, until the target has answered
     * every write it was sent. Each write is bounded by its client's timeout.
     */
    private void awaitUnansweredWrites() {
        unanswered.removeIf(sent -> sent.written().isDone());
        for (InFlight sent : unanswered) {
            LOG.info("{}: waiting for the answer to the write of batch {} before the run ends", writer.pipeline(), sent.number());
            sent.written().handle((written, failure) -> null).join();
        }
        unanswered.clear();
    }

    /** Confirms (and extends) the lease, then sends the batch's write without waiting for its answer. */
    private InFlight send(long number, ReadyBatch batch) throws Exception {
        writer.confirmLease(number);
        // a sink that takes writes in flight writes outside the control database: it has no use for its transaction
        InFlight sent = new InFlight(number, batch, CompletableFuture.supplyAsync(() -> {
            try {
                return batch.write().execute(null);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, sender));
        unanswered.removeIf(earlier -> earlier.written().isDone());
        unanswered.add(sent);
        return sent;
    }

    /** Settles the write in flight, if any. */
    private boolean settle() throws Exception {
        InFlight settling = inFlight;
        inFlight = null;
        return settle(settling);
    }

    /** Settles the write before the one in flight; if it fails, the one in flight must never commit its checkpoint. */
    private boolean settleBefore(InFlight previous) throws Exception {
        try {
            return settle(previous);
        } catch (Exception e) {
            inFlight = null;
            throw e;
        }
    }

    /**
     * Waits for a write in flight (a transient failure sends it again, holding the lease, as a
     * serial write does), then commits its checkpoint; returns whether a pause was requested.
     */
    private boolean settle(InFlight inFlight) throws Exception {
        if (inFlight == null) {
            return false;
        }
        boolean[] firstAttempt = {true};
        long written = writer.run().retries().call("write batch " + inFlight.number(), Stage.WRITE, () -> {
            if (firstAttempt[0]) {
                firstAttempt[0] = false;
                return answerOf(inFlight.written());
            }
            return writer.run().control().inTransaction(tx -> writer.write(tx, inFlight.batch()).rows());
        });
        return writer.commitCheckpoint(inFlight.number(), inFlight.batch(), written);
    }

    private static long answerOf(CompletableFuture<Sink.Written> written) throws Exception {
        try {
            return written.get().rows();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
