package dev.platform.etl.operator.reconcile;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.health.OperatorMetrics;
import dev.platform.etl.operator.observe.JobState;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunnerSummary;
import java.time.Instant;

/**
 * Records a finished run in status once: {@code lastRun} from the runner's summary (or from the
 * Job when the runner left none), the checkpoint mirror, the metrics and an Event. The run is
 * then closed, so it is never launched again.
 */
final class RunRecorder {
    private final PipelineEvents events;
    private final OperatorMetrics metrics;

    RunRecorder(PipelineEvents events, OperatorMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    void finished(EtlPipeline pipeline, CurrentRun run, RunObservation observation, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        RunnerSummary summary = observation.summary().orElse(null);
        LastRun last = closed(run, now);
        if (summary != null) {
            last.setResult(summary.result());
            last.setRowsRead(summary.rowsRead());
            last.setRowsWritten(summary.rowsWritten());
            last.setBatches(summary.batches());
            last.setMessage(summary.message());
            last.setRanges(observation.ranges().isEmpty() ? null
                    : observation.ranges().entrySet().stream().map(e -> e.getValue().asRange(e.getKey())).toList());
            if (summary.checkpoint() != null) {
                status.setCheckpoint(summary.checkpoint().isEmpty() ? null : summary.checkpoint());
            }
        } else {
            last.setResult(observation.state() == JobState.SUCCEEDED ? RunResult.SUCCEEDED : RunResult.FAILED);
            last.setMessage(observation.state() == JobState.SUCCEEDED ? null
                    : "the runner left no summary; Job failed: " + (observation.detail() == null ? "unknown reason" : observation.detail()));
        }
        close(pipeline, last, summary);
        String counts = summary == null ? "" : ": read " + summary.rowsRead() + ", wrote " + summary.rowsWritten();
        if (last.getResult() == RunResult.FAILED || last.getResult() == RunResult.INVALID) {
            events.warning(pipeline, "RunFailed", "run " + run.getJob() + " " + last.getResult() + counts
                    + (last.getMessage() == null ? "" : " (" + last.getMessage() + ")"));
        } else {
            events.normal(pipeline, "RunFinished", "run " + run.getJob() + " " + last.getResult() + counts);
        }
    }

    /** A run that cannot start (its Job name is taken by something else): closed as failed. */
    void couldNotStart(EtlPipeline pipeline, CurrentRun run, String reason, Instant now) {
        LastRun last = closed(run, now);
        last.setResult(RunResult.FAILED);
        last.setMessage(reason);
        close(pipeline, last, null);
        events.warning(pipeline, "RunNotStarted", reason);
    }

    private static LastRun closed(CurrentRun run, Instant now) {
        LastRun last = new LastRun();
        last.setRunId(run.getJob());
        last.setJob(run.getJob());
        last.setStartedAt(run.getRequestedAt());
        last.setFinishedAt(now.toString());
        return last;
    }

    private void close(EtlPipeline pipeline, LastRun last, RunnerSummary summary) {
        pipeline.getStatus().setLastRun(last);
        pipeline.getStatus().setCurrentRun(null);
        metrics.runFinished(pipeline.getMetadata().getNamespace(), last.getResult().name(), summary);
    }
}
