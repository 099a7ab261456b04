package dev.platform.etl.operator.status;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.status.RunTotals;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.job.JobNames;
import dev.platform.etl.operator.metrics.PipelineMetrics;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.observe.JobState;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunObserver;
import dev.platform.etl.operator.observe.RunnerSummary;
import dev.platform.etl.operator.run.RunRequests;
import dev.platform.etl.operator.run.RunRetries;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes a pipeline's status: its runs (current and last), its conditions and
 * phase, and its next schedule. What changes there for users to notice is announced here too, once:
 * a Warning when a condition starts saying something new, an Event and the metrics when a run ends
 * (once per run id).
 */
public final class StatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
    /** Ended runs kept in status.lastRuns. */
    static final int RUN_HISTORY = 10;

    private final PipelineEvents events;
    private final PipelineMetrics metrics;
    /**
     * The last run whose end each pipeline (by UID) announced. A pass whose status patch failed is
     * run again from the status before it, and closes the same run again: its Event is not sent twice.
     */
    private final Map<String, String> announcedEnds = new ConcurrentHashMap<>();

    public StatusWriter(PipelineEvents events, PipelineMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Writes the status worked out in this pass to the API server, as an update of the pipeline
     * this pass read (its resourceVersion): when anything changed the pipeline since, the write is
     * refused (409), nothing is written, and this returns false for the pass to be run again from
     * the newer pipeline. What is written is cached at once, so that the next pass starts from it
     * even before the informer has caught up.
     */
    public boolean write(EtlPipeline pipeline, Context<EtlPipeline> context) {
        try {
            EtlPipeline written = context.getClient().resource(pipeline).updateStatus();
            context.eventSourceRetriever().getControllerEventSource()
                    .handleRecentResourceUpdate(ResourceID.fromResource(pipeline), written, pipeline);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            LOG.info("{}/{} changed while its status was worked out: it is worked out again from the newer one",
                    pipeline.getMetadata().getNamespace(), pipeline.getMetadata().getName());
            return false;
        }
    }

    /** Records a requested run as the current one, with its number and Job name, before its Job is created. */
    public void startRun(EtlPipeline pipeline, RunRequests.Request request, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        long number = runCount(status) + 1;
        String job = JobNames.forRun(pipeline.getMetadata().getName(), number);
        status.setCurrentRun(new CurrentRun(number, job, JobNames.runId(job, pipeline.getMetadata().getUid()), request.runRequest(),
                request.reason(), now.toString()));
        status.setRunCount(number);
        if (request.newRequest()) {
            status.setFailedAttempts(null);
        }
        if (request.scheduleTick() != null) {
            status.setLastScheduledTime(request.scheduleTick().toString());
        }
    }

    /** Records a schedule tick too late to start its run as handled, with no run, and says so. */
    public void skipTick(EtlPipeline pipeline, Instant tick) {
        pipeline.getStatus().setLastScheduledTime(tick.toString());
        events.warning(pipeline, "MissedSchedule", "the run scheduled for " + tick + " was skipped: it could not start within "
                + pipeline.getSpec().getStartingDeadlineSeconds() + " s (spec.startingDeadlineSeconds)");
    }

    /** Records an unfinished runner Job found without a record (from a status that was lost) as the current run. */
    public void adoptRun(EtlPipeline pipeline, Job orphan, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        long number = Long.parseLong(orphan.getMetadata().getLabels().get(Labels.RUN));
        String job = orphan.getMetadata().getName();
        Map<String, String> handled = Optional.ofNullable(orphan.getMetadata().getAnnotations()).orElse(Map.of());
        status.setCurrentRun(new CurrentRun(number, job, JobNames.runId(job, pipeline.getMetadata().getUid()),
                handled.get(Labels.RUN_REQUEST), "adopted", now.toString()));
        status.setRunCount(Math.max(number, runCount(status)));
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
        close(pipeline, last);
        if (!firstEnd(pipeline, last)) {
            return;
        }
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
        close(pipeline, last);
        if (firstEnd(pipeline, last)) {
            events.warning(pipeline, "RunNotStarted", reason);
        }
    }

    /** What the current run's pods have reported so far: one runner's progress, or each range's and their sums. */
    public void takeProgress(EtlPipeline pipeline, Optional<RunnerProgress> reported) {
        reported.ifPresent(progress -> RunProgress.take(pipeline.getStatus().getCurrentRun(), progress));
    }

    public void takeRangeProgress(EtlPipeline pipeline, Map<Integer, RunnerSummary> ended, Map<Integer, RunnerProgress> running) {
        RunProgress.takeRanges(pipeline.getStatus().getCurrentRun(), ended, running);
    }

    /** The conditions, the phase and the next schedule, from the pass's outcome; retryAt is when a failed run is started again. */
    public void settle(EtlPipeline pipeline, List<Violation> violations, RunObservation current, Optional<Instant> nextTick,
                       Optional<Instant> retryAt, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        long generation = pipeline.getMetadata().getGeneration() == null ? 0 : pipeline.getMetadata().getGeneration();
        Optional<Stall> stall = stall(pipeline, violations, current);
        recordStall(pipeline, stall, generation, now);
        recordReconciling(pipeline, current, stall.isPresent(), retryAt, generation, now);
        boolean suspend = Boolean.TRUE.equals(pipeline.getSpec().getSuspend());
        Conditions.set(status, Conditions.SUSPENDED, suspend, suspend ? "SuspendRequested" : "NotSuspended",
                suspend ? "spec.suspend is true: no run starts, and a running one pauses after its batch in flight" : "spec.suspend is not set",
                generation, now);
        recordLastRun(status, generation, now);
        status.setPhase(Phases.of(pipeline, violations.isEmpty(), current.state()));
        status.setObservedGeneration(generation);
        status.setNextScheduledTime(nextTick.map(Instant::toString).orElse(null));
        metrics.observe(pipeline);
    }

    /** What keeps the pipeline from progressing until a user changes something, if anything. */
    private record Stall(String reason, String message) {
    }

    private static Optional<Stall> stall(EtlPipeline pipeline, List<Violation> violations, RunObservation observation) {
        if (!violations.isEmpty()) {
            return Optional.of(new Stall("InvalidSpec", violations.stream().map(Violation::toString).collect(Collectors.joining("; "))));
        }
        CurrentRun run = pipeline.getStatus().getCurrentRun();
        String namespace = pipeline.getMetadata().getNamespace();
        if (run != null && observation.state() == JobState.NO_POD) {
            return Optional.of(new Stall("PodNotCreated", "Job " + run.getJob() + " has created no runner pod in "
                    + RunObserver.POD_CREATION_GRACE.toSeconds() + " s: the Job controller cannot create it; kubectl describe job "
                    + run.getJob() + " -n " + namespace + " shows why"));
        }
        if (run == null && RunRetries.usedUp(pipeline)) {
            LastRun last = pipeline.getStatus().getLastRun();
            return Optional.of(new Stall("RepeatedFailures", pipeline.getStatus().getFailedAttempts() + " runs in a row FAILED, the last "
                    + last.getRunId() + ", and spec.runRetry.limit (" + pipeline.getSpec().getRunRetry().getLimit() + ") is used up"
                    + (last.getMessage() == null ? "" : "; the last failed with: " + last.getMessage())
                    + "; fix the cause, then set a new spec.runRequest, or wait for the next schedule tick"));
        }
        if (run != null && observation.state() == JobState.POD_CANNOT_START) {
            return Optional.of(new Stall("PodCannotStart", "the runner cannot start, " + observation.stuckPod()
                    + "; fix what it names (a Secret, the runner's image, its resources or securityContext), then kubectl delete job "
                    + run.getJob() + " -n " + namespace + " to start it again"));
        }
        return Optional.empty();
    }

    /** Stalled and Ready say the same thing from two sides; a Warning Event says it once, when it is new. */
    private void recordStall(EtlPipeline pipeline, Optional<Stall> stall, long generation, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        if (stall.isEmpty()) {
            Conditions.set(status, Conditions.STALLED, false, "Progressing", "nothing stands in the way", generation, now);
            Conditions.set(status, Conditions.READY, true, "Ready", "valid; a run starts on spec.runRequest or spec.schedule", generation, now);
            return;
        }
        Stall stalled = stall.get();
        if (!Conditions.says(status, Conditions.STALLED, Conditions.TRUE, stalled.reason(), stalled.message())) {
            events.warning(pipeline, stalled.reason(), stalled.message());
        }
        Conditions.set(status, Conditions.STALLED, true, stalled.reason(), stalled.message(), generation, now);
        Conditions.set(status, Conditions.READY, false, stalled.reason(), stalled.message(), generation, now);
    }

    /** Reconciling while a run is in progress; an Event says once that it paused. */
    private void recordReconciling(EtlPipeline pipeline, RunObservation observation, boolean stalled, Optional<Instant> retryAt,
                                   long generation, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        CurrentRun run = status.getCurrentRun();
        if (run == null && retryAt.isPresent()) {
            Conditions.set(status, Conditions.RECONCILING, true, "RetryScheduled", "run " + status.getLastRun().getRunId() + " failed; retry "
                    + status.getFailedAttempts() + " of " + pipeline.getSpec().getRunRetry().getLimit() + " starts at " + retryAt.get(), generation, now);
        } else if (run == null) {
            Conditions.set(status, Conditions.RECONCILING, false, "Idle", "no run in progress", generation, now);
        } else if (stalled) {
            Conditions.set(status, Conditions.RECONCILING, false, "Stalled", "run " + run.getJob() + " cannot progress: see Stalled", generation, now);
        } else if (observation.state() == JobState.MISSING) {
            // recorded while spec.suspend was set, so its Job was never created
            Conditions.set(status, Conditions.RECONCILING, false, "Suspended", "run " + run.getJob() + " starts when spec.suspend is false",
                    generation, now);
        } else if (observation.state() == JobState.SUSPENDED) {
            if (!Conditions.says(status, Conditions.RECONCILING, Conditions.FALSE, "Paused", null)) {
                events.normal(pipeline, "Paused", "run " + run.getJob() + " paused after its batch in flight");
            }
            Conditions.set(status, Conditions.RECONCILING, false, "Paused",
                    "run " + run.getJob() + " is paused; it resumes from its checkpoint when spec.suspend is false", generation, now);
        } else if (observation.state() == JobState.STOPPING) {
            Conditions.set(status, Conditions.RECONCILING, true, "Pausing", "run " + run.getJob() + " pauses after its batch in flight",
                    generation, now);
        } else {
            Conditions.set(status, Conditions.RECONCILING, true, "RunInProgress", "run " + run.getJob() + " (" + run.getReason() + ")",
                    generation, now);
        }
    }

    private static void recordLastRun(EtlPipelineStatus status, long generation, Instant now) {
        LastRun last = status.getLastRun();
        if (last == null) {
            Conditions.set(status, Conditions.LAST_RUN_SUCCEEDED, Conditions.UNKNOWN, "NoRunYet", "no run has ended yet", generation, now);
            return;
        }
        String result = last.getResult().name();
        String reason = result.charAt(0) + result.substring(1).toLowerCase(Locale.ROOT);
        String message = "run " + last.getRunId() + " " + result + (last.getMessage() == null ? "" : ": " + last.getMessage());
        Conditions.set(status, Conditions.LAST_RUN_SUCCEEDED, last.getResult() == RunResult.SUCCEEDED, reason, message, generation, now);
    }

    private static LastRun lastRunOf(CurrentRun run, Instant now) {
        LastRun last = new LastRun();
        last.setRunId(run.getRunId() == null ? run.getJob() : run.getRunId());
        last.setJob(run.getJob());
        last.setStartedAt(run.getRequestedAt());
        last.setFinishedAt(now.toString());
        return last;
    }

    /**
     * The run is over: it becomes the last run and is counted in the totals, and the run request it
     * handled is handled (what kubectl wait can wait for).
     */
    private void close(EtlPipeline pipeline, LastRun last) {
        EtlPipelineStatus status = pipeline.getStatus();
        Optional.ofNullable(status.getCurrentRun().getRunRequest()).ifPresent(status::setHandledRunRequest);
        status.setLastRun(last);
        status.setCurrentRun(null);
        List<LastRun> history = new ArrayList<>(List.of(last));
        Optional.ofNullable(status.getLastRuns()).orElse(List.of()).stream().limit(RUN_HISTORY - 1).forEach(history::add);
        status.setLastRuns(history);
        if (status.getTotals() == null) {
            status.setTotals(new RunTotals());
        }
        status.getTotals().add(last.getResult(), Optional.ofNullable(last.getRowsRead()).orElse(0L),
                Optional.ofNullable(last.getRowsWritten()).orElse(0L));
        if (last.getResult() == RunResult.SUCCEEDED) {
            status.setLastSuccessfulTime(last.getFinishedAt());
            status.setFailedAttempts(null);
        } else if (last.getResult() == RunResult.FAILED) {
            status.setFailedAttempts(Optional.ofNullable(status.getFailedAttempts()).orElse(0) + 1);
        }
        metrics.runEnded(pipeline, last);
    }

    /** Whether this is the first time this run's end is announced (see {@link #announcedEnds}). */
    private boolean firstEnd(EtlPipeline pipeline, LastRun last) {
        String uid = Objects.requireNonNullElse(pipeline.getMetadata().getUid(), pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName());
        return !last.getRunId().equals(announcedEnds.put(uid, last.getRunId()));
    }

    /** The pipeline is gone: nothing more is announced about it. */
    public void forget(String namespace, String name, String uid) {
        if (uid != null) {
            announcedEnds.remove(uid);
        }
        metrics.forget(namespace, name);
    }

    private static long runCount(EtlPipelineStatus status) {
        return status.getRunCount() == null ? 0 : status.getRunCount();
    }
}
