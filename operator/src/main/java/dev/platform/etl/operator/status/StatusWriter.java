package dev.platform.etl.operator.status;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.health.OperatorMetrics;
import dev.platform.etl.operator.job.JobNames;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.observe.JobState;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunObserver;
import dev.platform.etl.operator.observe.RunnerSummary;
import dev.platform.etl.operator.run.RunRequests;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place that writes a pipeline's status: its runs (current and last), its conditions and
 * phase, and its next schedule. What changes there for users to notice is announced here too, once:
 * a Warning when a condition starts saying something new, an Event and the metrics when a run ends.
 */
public final class StatusWriter {
    private final PipelineEvents events;
    private final OperatorMetrics metrics;

    public StatusWriter(PipelineEvents events, OperatorMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /** Records a requested run as the current one, with its number and Job name, before its Job is created. */
    public void startRun(EtlPipeline pipeline, RunRequests.Request request, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        long number = runCount(status) + 1;
        String job = JobNames.forRun(pipeline.getMetadata().getName(), number);
        status.setCurrentRun(new CurrentRun(number, job, request.reason(), now.toString()));
        status.setRunCount(number);
        status.setHandledRunRequest(request.runRequest());
        if (request.scheduleTick() != null) {
            status.setLastScheduledTime(request.scheduleTick().toString());
        }
    }

    /** Records an unfinished runner Job found without a record (from a status that was lost) as the current run. */
    public void adoptRun(EtlPipeline pipeline, Job orphan, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        long number = Long.parseLong(orphan.getMetadata().getLabels().get(Labels.RUN));
        status.setCurrentRun(new CurrentRun(number, orphan.getMetadata().getName(), "adopted", now.toString()));
        status.setRunCount(Math.max(number, runCount(status)));
        Map<String, String> handled = Optional.ofNullable(orphan.getMetadata().getAnnotations()).orElse(Map.of());
        Optional.ofNullable(handled.get(Labels.RUN_REQUEST)).ifPresent(status::setHandledRunRequest);
        Optional.ofNullable(handled.get(Labels.SCHEDULE_TICK)).ifPresent(status::setLastScheduledTime);
    }

    /** Forgets a run decided before the spec became invalid, and never started. */
    public void dropRun(EtlPipeline pipeline) {
        pipeline.getStatus().setCurrentRun(null);
    }

    /**
     * Records the finished run once, as the last run: from the runner's summary, or from the Job
     * when the runner left none. The run is then closed, so it is never launched again.
     */
    public void closeRun(EtlPipeline pipeline, RunObservation observation, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        CurrentRun run = status.getCurrentRun();
        RunnerSummary summary = observation.summary().orElse(null);
        LastRun last = lastRunOf(run, now);
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
    public void closeUnstarted(EtlPipeline pipeline, String reason, Instant now) {
        LastRun last = lastRunOf(pipeline.getStatus().getCurrentRun(), now);
        last.setResult(RunResult.FAILED);
        last.setMessage(reason);
        close(pipeline, last, null);
        events.warning(pipeline, "RunNotStarted", reason);
    }

    /** What the current run's pods have reported so far: one runner's progress, or each range's and their sums. */
    public void takeProgress(EtlPipeline pipeline, Optional<RunnerProgress> reported) {
        reported.ifPresent(progress -> RunProgress.take(pipeline.getStatus().getCurrentRun(), progress));
    }

    public void takeRangeProgress(EtlPipeline pipeline, Map<Integer, RunnerSummary> ended, Map<Integer, RunnerProgress> running) {
        RunProgress.takeRanges(pipeline.getStatus().getCurrentRun(), ended, running);
    }

    /** The conditions, the phase and the next schedule, from the pass's outcome. */
    public void settle(EtlPipeline pipeline, List<Violation> violations, RunObservation current, Optional<Instant> nextTick,
                       Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        long generation = pipeline.getMetadata().getGeneration() == null ? 0 : pipeline.getMetadata().getGeneration();
        recordValidity(pipeline, violations, generation, now);
        status.setPhase(Phases.of(pipeline, violations.isEmpty(), current.state()));
        recordRunning(pipeline, current, generation, now);
        status.setObservedGeneration(generation);
        status.setNextScheduledTime(nextTick.map(Instant::toString).orElse(null));
    }

    private void recordValidity(EtlPipeline pipeline, List<Violation> violations, long generation, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        if (violations.isEmpty()) {
            Conditions.set(status, Conditions.VALID, true, "Validated", "the pipeline is valid", generation, now);
            return;
        }
        String message = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        if (!Conditions.says(status, Conditions.VALID, false, message)) {
            events.warning(pipeline, "InvalidSpec", message);
        }
        Conditions.set(status, Conditions.VALID, false, "InvalidSpec", message, generation, now);
    }

    private void recordRunning(EtlPipeline pipeline, RunObservation observation, long generation, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        CurrentRun run = status.getCurrentRun();
        String namespace = pipeline.getMetadata().getNamespace();
        if (run == null) {
            Conditions.set(status, Conditions.RUNNING, false, "Idle", "no run in progress", generation, now);
        } else if (observation.state() == JobState.NO_POD) {
            notRunning(pipeline, "PodNotCreated", "Job " + run.getJob() + " has created no runner pod in "
                    + RunObserver.POD_CREATION_GRACE.toSeconds() + " s: the Job controller cannot create it; kubectl describe job "
                    + run.getJob() + " -n " + namespace + " shows why", generation, now);
        } else if (observation.state() == JobState.POD_CANNOT_START) {
            notRunning(pipeline, "PodCannotStart", "the runner cannot start, " + observation.stuckPod()
                    + "; fix the runner's image or securityContext, then kubectl delete job " + run.getJob() + " -n " + namespace
                    + " to start it again", generation, now);
        } else {
            Conditions.set(status, Conditions.RUNNING, true, "RunInProgress", "run " + run.getJob() + " (" + run.getReason() + ")", generation, now);
        }
    }

    /** Running is False for {@code reason}; a Warning Event says so once, when the message is new. */
    private void notRunning(EtlPipeline pipeline, String reason, String message, long generation, Instant now) {
        if (!Conditions.says(pipeline.getStatus(), Conditions.RUNNING, false, message)) {
            events.warning(pipeline, reason, message);
        }
        Conditions.set(pipeline.getStatus(), Conditions.RUNNING, false, reason, message, generation, now);
    }

    private static LastRun lastRunOf(CurrentRun run, Instant now) {
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

    private static long runCount(EtlPipelineStatus status) {
        return status.getRunCount() == null ? 0 : status.getRunCount();
    }
}
