package dev.platform.etl.runner.run;

import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.checkpoint.CheckpointStore;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, transforms and writes batch after batch. A batch and its checkpoint are committed
 * together (or the write first, then the checkpoint, for a target outside the control database),
 * retried whole on transient failures. Between batches it stops for a pause, a SIGTERM or a lost
 * lease; it never stops in the middle of a batch.
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
    }

    /**
     * Runs batches from {@code start} until the reader is exhausted, a pause or stop, or a failure.
     * The next batch is read and prepared for the sink while the current one is written.
     */
    RunOutcome run(Checkpoint start, Callable<Optional<SourceBatch>> read) {
        checkpoint = start;
        boolean pauseRequested = lease.pauseRequested();
        try (ReadAhead<ReadyBatch> ahead = new ReadAhead<>(() -> read.call().map(this::prepare))) {
            while (true) {
                if (heartbeat.lost()) {
                    throw new LeaseLostException(lease.pipeline(), lease.token());
                }
                if (pauseRequested || stop.requested()) {
                    LOG.info("{}: paused after {} batches ({})", lease.pipeline(), counters.batches(),
                            stop.requested() ? "stop signal" : "pause requested");
                    return new RunOutcome(RunResult.PAUSED, counters, checkpoint, null);
                }
                Optional<ReadyBatch> batch = ahead.next();
                if (batch.isEmpty()) {
                    return new RunOutcome(RunResult.SUCCEEDED, counters, checkpoint, null);
                }
                pauseRequested = commit(counters.batches() + 1, batch.get());
            }
        } catch (Exception e) {
            return RunOutcome.failed(counters, checkpoint, ErrorClassifier.describe(e));
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
        Checkpoint next = batch.checkpoint() != null ? batch.checkpoint() : checkpoint;
        long[] written = new long[1];
        boolean pauseRequested = retries.call("write batch " + batchNumber, Stage.WRITE, () -> control.inTransaction(tx -> {
            if (sink.commitsApart()) {
                heartbeat.holdWithin(tx);
            }
            written[0] = batch.write().execute(tx);
            return CheckpointStore.commitProgress(tx, lease, next, counters.plusBatch(batch.rowsRead(), written[0]));
        }));
        counters = counters.plusBatch(batch.rowsRead(), written[0]);
        checkpoint = next;
        LOG.info("{}: batch {} committed: read {}, wrote {}; {}", lease.pipeline(), batchNumber, batch.rowsRead(), written[0],
                progress().logText());
        return pauseRequested;
    }
}
