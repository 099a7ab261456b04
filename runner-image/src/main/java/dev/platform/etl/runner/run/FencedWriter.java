package dev.platform.etl.runner.run;

import dev.platform.etl.runner.commit.BatchCommit;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseHeartbeat;
import dev.platform.etl.runner.retry.Stage;
import dev.platform.etl.runner.sink.Sink;
import java.sql.Connection;

/** Writes batches and commits their checkpoints, only while the lease is this runner's; both write modes build on it. */
final class FencedWriter {
    private final RunContext run;
    private final Lease lease;
    private final LeaseHeartbeat heartbeat;
    private final CommittedProgress progress;

    FencedWriter(RunContext run, Lease lease, LeaseHeartbeat heartbeat, CommittedProgress progress) {
        this.run = run;
        this.lease = lease;
        this.heartbeat = heartbeat;
        this.progress = progress;
    }

    String pipeline() {
        return lease.pipeline();
    }

    RunContext run() {
        return run;
    }

    /** Writes the batch and its checkpoint in one transaction, retried whole; returns whether a pause was requested meanwhile. */
    boolean writeAndCommit(long number, ReadyBatch batch) throws Exception {
        long[] written = new long[1];
        boolean pauseRequested = run.retries().call("write batch " + number, Stage.WRITE, () -> run.control().inTransaction(tx -> {
            Sink.Written write = write(tx, batch);
            written[0] = write.rows();
            return BatchCommit.commitProgress(tx, write.unsent(), lease, progress.after(batch), progress.with(batch, written[0]));
        }));
        return progress.committed(number, batch, written[0], pauseRequested);
    }

    /** Commits the checkpoint of a batch whose write has succeeded apart from it; returns whether a pause was requested. */
    boolean commitCheckpoint(long number, ReadyBatch batch, long written) throws Exception {
        boolean pauseRequested = run.retries().call("commit the checkpoint of batch " + number, Stage.CONTROL,
                () -> run.control().inTransaction(tx -> BatchCommit.commitProgress(tx, null, lease, progress.after(batch),
                        progress.with(batch, written))));
        return progress.committed(number, batch, written, pauseRequested);
    }

    /** Writes the batch in the caller's transaction; a write outside the control database holds the lease while it runs. */
    Sink.Written write(Connection transaction, ReadyBatch batch) throws Exception {
        if (run.sink().commitsApart()) {
            heartbeat.holdWithin(transaction);
        }
        return batch.write().execute(transaction);
    }

    /** Confirms (and extends) the lease before a write is sent without waiting for its answer. */
    void confirmLease(long number) throws Exception {
        run.retries().call("confirm the lease before batch " + number, Stage.CONTROL, () -> run.control().inTransaction(tx -> {
            heartbeat.holdWithin(tx);
            return null;
        }));
    }
}
