package dev.platform.etl.runner.run;

import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.control.RunCounters;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this attempt of a run has committed so far: its counters and checkpoint. After each batch
 * the run's own counters, its earlier attempts' included, are logged as the operator reads them.
 */
final class CommittedProgress {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoop.class);

    private final String pipeline;
    private final long startedAt = System.nanoTime();
    private final RunCounters earlier;
    private RunCounters counters = RunCounters.ZERO;
    private Checkpoint checkpoint;

    CommittedProgress(String pipeline, Checkpoint start, RunCounters earlier) {
        this.pipeline = pipeline;
        this.checkpoint = start;
        this.earlier = earlier;
    }

    RunCounters counters() {
        return counters;
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The checkpoint after the batch: its last row's, or the current one for a streamed read, which keeps none. */
    Checkpoint after(ReadyBatch batch) {
        return batch.checkpoint() != null ? batch.checkpoint() : checkpoint;
    }

    /** The counters once the batch has committed. */
    RunCounters with(ReadyBatch batch, long written) {
        return counters.plusBatch(batch.rowsRead(), written);
    }

    /** Takes in a batch whose checkpoint has committed; passes on whether a pause was requested. */
    boolean committed(long number, ReadyBatch batch, long written, boolean pauseRequested) {
        checkpoint = after(batch);
        counters = with(batch, written);
        LOG.info("{}: batch {} committed: read {}, wrote {}; {}", pipeline, number, batch.rowsRead(), written, reported().logText());
        return pauseRequested;
    }

    /** The run's counters; its rate is this attempt's. */
    private RunnerProgress reported() {
        double seconds = Math.max((System.nanoTime() - startedAt) / 1e9, 0.001);
        RunCounters run = earlier.plus(counters);
        return new RunnerProgress(run.rowsRead(), run.rowsWritten(), run.batches(),
                checkpoint == null ? Map.of() : checkpoint.asMap(), Math.round(counters.rowsRead() / seconds),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }
}
