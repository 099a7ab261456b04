package dev.platform.etl.runner.run;

import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.commit.BatchCommit;
import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.RunCounters;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseHeartbeat;
import dev.platform.etl.runner.lease.LeaseLostException;
import dev.platform.etl.runner.retry.ErrorClassifier;
import dev.platform.etl.runner.retry.Retries;
import dev.platform.etl.runner.retry.Stage;
import dev.platform.etl.runner.sink.Sink;
import dev.platform.etl.runner.sink.SinkBatch;
import dev.platform.etl.runner.source.SourceBatch;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, transforms and writes batch after batch. A batch and its checkpoint are committed
 * together (or the write first, then the checkpoint, for a target outside the control database),
 * retried whole on transient failures. Between batches it stops for a pause, a SIGTERM or a lost
 * lease; it never stops in the middle of a batch.
 *
 * <p>A sink that takes two writes in flight gets the next batch's write sent, once the lease has
 * been confirmed, before the previous write has been answered; each checkpoint still commits only
 * after its own and every earlier write succeeded, so checkpoints stay in order, and a pause or a
 * failure settles (or drops) the write in flight first.
 */
final class BatchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoop.class);

    private final Lease lease;
    private final ControlDatabase control;
    private final RunPlan plan;
    private final Sink sink;
    private final Retries retries;
    private final LeaseHeartbeat heartbeat;
    private final StopSignal stop;
    private final boolean versioned;

    private final ExecutorService sender;
    /** With a sender: the batch whose write was sent last and is not settled yet, or null. */
    private InFlight inFlight;
    /** With a sender: every write sent and not answered yet, settled or not; the run never ends before them. */
    private final List<InFlight> unanswered = new ArrayList<>();
    private final long startedAt = System.nanoTime();
    private RunCounters counters = RunCounters.ZERO;
    private Checkpoint checkpoint;

    BatchLoop(Lease lease, ControlDatabase control, RunPlan plan, boolean versioned, Sink sink, Retries retries,
              LeaseHeartbeat heartbeat, StopSignal stop) {
        this.lease = lease;
        this.control = control;
        this.plan = plan;
        this.sink = sink;
        this.retries = retries;
        this.heartbeat = heartbeat;
        this.stop = stop;
        this.versioned = versioned;
        this.sender = sink.takesTwoWritesInFlight() ? Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "write-in-flight");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /**
     * Runs batches from {@code start} until the reader is exhausted, a pause or stop, or a failure.
     * The next batch is read and prepared for the sink while the current one is written.
     */
    RunOutcome run(Checkpoint start, Callable<Optional<SourceBatch>> read) {
        checkpoint = start;
        boolean pauseRequested = lease.pauseRequested();
        try (ReadAhead<ReadyBatch> ahead = new ReadAhead<>(() -> read.call().map(this::prepare))) {
            long number = 0;
            while (true) {
                if (heartbeat.lost()) {
                    throw new LeaseLostException(lease.pipeline(), lease.token());
                }
                if (inFlight != null) {
                    // whichever comes first: the next batch read (a second write goes out), or the answer to the one in flight
                    CompletableFuture.anyOf(ahead.whenReady(), inFlight.written()).handle((done, failure) -> null).join();
                    if (inFlight.written().isDone() || pauseRequested || stop.requested()) {
                        pauseRequested |= settle();
                    }
                }
                if (pauseRequested || stop.requested()) {
                    LOG.info("{}: paused after {} batches ({})", lease.pipeline(), counters.batches(),
                            stop.requested() ? "stop signal" : "pause requested");
                    return new RunOutcome(RunResult.PAUSED, counters, checkpoint, null);
                }
                Optional<ReadyBatch> batch = ahead.next();
                if (batch.isEmpty()) {
                    settle();
                    return new RunOutcome(RunResult.SUCCEEDED, counters, checkpoint, null);
                }
                number++;
                if (sender == null) {
                    pauseRequested = commit(number, batch.get());
                } else {
                    InFlight sent = send(number, batch.get());
                    InFlight previous = inFlight;
                    inFlight = sent;
                    pauseRequested = settleBefore(previous);
                }
            }
        } catch (Exception | OutOfMemoryError e) {
            settleAfterFailure();
            return RunOutcome.failed(counters, checkpoint, ErrorClassifier.describe(e));
        } finally {
            if (sender != null) {
                awaitUnansweredWrites();
                sender.shutdownNow();
            }
        }
    }

    /**
     * A write the run no longer commits (its predecessor failed, say) may still be applied by the
     * target: the run keeps its lease, and so stays the only writer, until the target has answered
     * every write it was sent. Each write is bounded by its client's timeout.
     */
    private void awaitUnansweredWrites() {
        unanswered.removeIf(sent -> sent.written().isDone());
        for (InFlight sent : unanswered) {
            LOG.info("{}: waiting for the answer to the write of batch {} before the run ends", lease.pipeline(), sent.number());
            sent.written().handle((written, failure) -> null).join();
        }
        unanswered.clear();
    }

    /** A batch whose write has been sent and not yet settled. */
    private record InFlight(long number, ReadyBatch batch, CompletableFuture<Sink.Written> written) {
    }

    /** Confirms (and extends) the lease, then sends the batch's write without waiting for its answer. */
    private InFlight send(long number, ReadyBatch batch) throws Exception {
        retries.call("confirm the lease before batch " + number, Stage.CONTROL, () -> control.inTransaction(tx -> {
            heartbeat.holdWithin(tx);
            return null;
        }));
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

    /** A failure elsewhere (reading the next batch, say) still keeps the write in flight, if it succeeds. */
    private void settleAfterFailure() {
        try {
            settle();
        } catch (Exception e) {
            LOG.warn("{}: the batch in flight when the run failed was not committed: {}", lease.pipeline(), ErrorClassifier.describe(e));
        }
    }

    /**
     * Waits for a write in flight (a transient failure sends it again, holding the lease, as
     * {@link #commit} does), then commits its checkpoint; returns whether a pause was requested.
     */
    private boolean settle(InFlight inFlight) throws Exception {
        if (inFlight == null) {
            return false;
        }
        boolean[] firstAttempt = {true};
        long written = retries.call("write batch " + inFlight.number(), Stage.WRITE, () -> {
            if (firstAttempt[0]) {
                firstAttempt[0] = false;
                return answerOf(inFlight.written());
            }
            return control.inTransaction(tx -> writeFenced(tx, inFlight.batch()).rows());
        });
        return recordCommitted(inFlight.number(), inFlight.batch(), written, retries.call("commit the checkpoint of batch "
                + inFlight.number(), Stage.CONTROL, () -> control.inTransaction(tx -> BatchCommit.commitProgress(tx, null, lease,
                next(inFlight.batch()), counters.plusBatch(inFlight.batch().rowsRead(), written)))));
    }

    private static long answerOf(CompletableFuture<Sink.Written> written) throws Exception {
        try {
            return written.get().rows();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** A batch ready to commit: transformed and encoded for the sink ahead of its turn. */
    private record ReadyBatch(int rowsRead, Checkpoint checkpoint, Sink.Write write) {
    }

    /** Runs on the read-ahead thread: versions and deletions come from the reader's rows, as checkpoints do. */
    private ReadyBatch prepare(SourceBatch batch) {
        List<Object[]> rows = new ArrayList<>(batch.rows().size());
        long[] versions = versioned ? new long[batch.rows().size()] : null;
        boolean[] deleted = plan.softDeletes() ? new boolean[batch.rows().size()] : null;
        for (int i = 0; i < batch.rows().size(); i++) {
            Object[] readerRow = batch.rows().get(i);
            rows.add(plan.transform().apply(readerRow));
            if (versioned) {
                versions[i] = plan.versionOf(readerRow);
            }
            if (deleted != null) {
                deleted[i] = plan.isDeleted(readerRow);
            }
        }
        return new ReadyBatch(rows.size(), batch.checkpoint(), sink.prepare(new SinkBatch(rows, versions, deleted)));
    }

    /** The run so far, as the operator reads it from the pod's log. */
    private RunnerProgress progress() {
        double seconds = Math.max((System.nanoTime() - startedAt) / 1e9, 0.001);
        return new RunnerProgress(counters.rowsRead(), counters.rowsWritten(), counters.batches(),
                checkpoint == null ? Map.of() : checkpoint.asMap(), Math.round(counters.rowsRead() / seconds),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /** Writes the batch and its checkpoint; returns whether a pause was requested meanwhile. */
    private boolean commit(long batchNumber, ReadyBatch batch) throws Exception {
        long[] written = new long[1];
        boolean pauseRequested = retries.call("write batch " + batchNumber, Stage.WRITE, () -> control.inTransaction(tx -> {
            Sink.Written write = writeFenced(tx, batch);
            written[0] = write.rows();
            return BatchCommit.commitProgress(tx, write.unsent(), lease, next(batch), counters.plusBatch(batch.rowsRead(), written[0]));
        }));
        return recordCommitted(batchNumber, batch, written[0], pauseRequested);
    }

    /** Writes the batch in the caller's transaction; a write outside the control database holds the lease while it runs. */
    private Sink.Written writeFenced(Connection transaction, ReadyBatch batch) throws Exception {
        if (sink.commitsApart()) {
            heartbeat.holdWithin(transaction);
        }
        return batch.write().execute(transaction);
    }

    /** The checkpoint after the batch: its last row's, or the current one for a streamed read, which keeps none. */
    private Checkpoint next(ReadyBatch batch) {
        return batch.checkpoint() != null ? batch.checkpoint() : checkpoint;
    }

    private boolean recordCommitted(long batchNumber, ReadyBatch batch, long written, boolean pauseRequested) {
        checkpoint = next(batch);
        counters = counters.plusBatch(batch.rowsRead(), written);
        LOG.info("{}: batch {} committed: read {}, wrote {}; {}", lease.pipeline(), batchNumber, batch.rowsRead(), written,
                progress().logText());
        return pauseRequested;
    }
}
