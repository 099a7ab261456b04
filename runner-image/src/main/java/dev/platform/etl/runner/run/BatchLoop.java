package dev.platform.etl.runner.run;

import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseHeartbeat;
import dev.platform.etl.runner.lease.LeaseLostException;
import dev.platform.etl.runner.retry.ErrorClassifier;
import dev.platform.etl.runner.sink.SinkBatch;
import dev.platform.etl.runner.source.SourceBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, transforms and writes batch after batch. A batch and its checkpoint are committed
 * together (or the write first, then the checkpoint, for a target outside the control database),
 * retried whole on transient failures. Between batches it stops for a pause, a SIGTERM or a lost
 * lease; it never stops in the middle of a batch. How the writes go out, one at a time or two in
 * flight, is the {@link BatchWrites} chosen for the sink.
 */
final class BatchLoop {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoop.class);

    private final RunContext run;
    private final Lease lease;
    private final LeaseHeartbeat heartbeat;
    private final boolean versioned;
    private final StopSignal stop;

    BatchLoop(RunContext run, Lease lease, LeaseHeartbeat heartbeat, boolean versioned, StopSignal stop) {
        this.run = run;
        this.lease = lease;
        this.heartbeat = heartbeat;
        this.versioned = versioned;
        this.stop = stop;
    }

    /**
     * Runs batches from {@code start} until the reader is exhausted, a pause or stop, or a failure.
     * The next batch is read and prepared for the sink while the current one is written.
     */
    RunOutcome run(Checkpoint start, Callable<Optional<SourceBatch>> read) {
        CommittedProgress progress = new CommittedProgress(lease.pipeline(), start, lease.earlier());
        BatchWrites writes = BatchWrites.of(new FencedWriter(run, lease, heartbeat, progress));
        boolean pauseRequested = lease.pauseRequested();
        try (ReadAhead<ReadyBatch> ahead = new ReadAhead<>(() -> read.call().map(this::prepare))) {
            long number = 0;
            while (true) {
                if (heartbeat.lost()) {
                    throw new LeaseLostException(lease.pipeline(), lease.token());
                }
                boolean pausing = pauseRequested;
                pauseRequested |= writes.awaitTurn(ahead.whenReady(), () -> pausing || stop.requested());
                if (pauseRequested || stop.requested()) {
                    LOG.info("{}: paused after {} batches ({})", lease.pipeline(), progress.counters().batches(),
                            stop.requested() ? "stop signal" : "pause requested");
                    return new RunOutcome(RunResult.PAUSED, progress.counters(), progress.checkpoint(), null);
                }
                Optional<ReadyBatch> batch = ahead.next();
                if (batch.isEmpty()) {
                    writes.finish();
                    return new RunOutcome(RunResult.SUCCEEDED, progress.counters(), progress.checkpoint(), null);
                }
                pauseRequested = writes.write(++number, batch.get());
            }
        } catch (Exception | OutOfMemoryError e) {
            writes.afterFailure();
            return RunOutcome.failed(progress.counters(), progress.checkpoint(), ErrorClassifier.describe(e));
        } finally {
            writes.close();
        }
    }

    /** Runs on the read-ahead thread: versions and deletions come from the reader's rows, as checkpoints do. */
    private ReadyBatch prepare(SourceBatch batch) {
        RunPlan plan = run.plan();
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
        return new ReadyBatch(rows.size(), batch.checkpoint(), run.sink().prepare(new SinkBatch(rows, versions, deleted)));
    }
}
