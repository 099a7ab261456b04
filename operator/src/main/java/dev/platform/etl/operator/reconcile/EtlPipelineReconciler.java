package dev.platform.etl.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.validation.PipelineValidator;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.informer.RunnerInformers;
import dev.platform.etl.operator.job.RunnerJobs;
import dev.platform.etl.operator.observe.JobState;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunObserver;
import dev.platform.etl.operator.observe.RunProgressReader;
import dev.platform.etl.operator.run.RunRequests;
import dev.platform.etl.operator.run.RunRetries;
import dev.platform.etl.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns an EtlPipeline into runner Jobs, one run at a time. Each pass observes the current run,
 * validates the spec, and then steps: {@link Decider} chooses a {@link Decision}, which is carried
 * out on the run's Job ({@link RunnerJobs}) and recorded in status ({@link StatusWriter}), until
 * nothing is left to do. Status is then settled and written once, if it changed, and only over the
 * pipeline this pass read: a pass that raced another change is run again from the newer pipeline.
 *
 * <p>A new run is recorded in status (its number and deterministic Job name) and its Job created
 * in the same pass. An operator that stopped in between finds the run's number unrecorded, takes
 * the same number again, and adopts the Job of that name instead of creating a second one; a
 * finished run is recorded once and never launched again.
 */
@ControllerConfiguration(name = "etlpipeline")
public final class EtlPipelineReconciler implements Reconciler<EtlPipeline> {
    private static final ObjectMapper STATUS_JSON = new ObjectMapper();
    /** More than a pass can take (close a run, start the next, adopt its Job, find it finished, close it): a bound, not a limit. */
    private static final int MAX_STEPS = 8;
    /** When a pass whose status write was refused, as the pipeline had changed since it was read, is run again. */
    private static final Duration AFTER_CONFLICT = Duration.ofSeconds(1);

    private final PipelineValidator validator;
    private final RunnerJobs jobs;
    private final RunObserver observer = new RunObserver();
    private final RunRequests requests = new RunRequests();
    private final Decider decider = new Decider(observer, requests);
    private final StatusWriter status;
    private final RunProgressReader progress;
    private final PipelineEvents events;
    /** How often a running run's progress is read again when nothing else wakes the reconciler. */
    private final Duration progressRefresh;
    private final Clock clock;

    public EtlPipelineReconciler(PipelineValidator validator, RunnerJobs jobs, RunProgressReader progress, Duration progressRefresh,
                                 PipelineEvents events, StatusWriter status, Clock clock) {
        this.progressRefresh = progressRefresh;
        this.validator = validator;
        this.jobs = jobs;
        this.progress = progress;
        this.events = events;
        this.status = status;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, EtlPipeline>> prepareEventSources(EventSourceContext<EtlPipeline> context) {
        return RunnerInformers.of(context);
    }

    @Override
    public UpdateControl<EtlPipeline> reconcile(EtlPipeline pipeline, Context<EtlPipeline> context) {
        Instant now = clock.instant();
        if (pipeline.getStatus() == null) {
            pipeline.setStatus(new EtlPipelineStatus());
        }
        JsonNode statusBefore = STATUS_JSON.valueToTree(pipeline.getStatus());
        List<Job> runnerJobs = new ArrayList<>(context.getSecondaryResources(Job.class));
        List<Pod> runnerPods = new ArrayList<>(context.getSecondaryResources(Pod.class));

        RunObservation current = observeCurrentRun(pipeline, runnerJobs, runnerPods, now);
        List<Violation> violations = validate(pipeline);
        for (int step = 0; step < MAX_STEPS; step++) {
            Decision decision = decider.decide(pipeline, violations.isEmpty(), current, runnerJobs, now);
            Optional<RunObservation> next = carryOut(decision, pipeline, runnerPods, now);
            if (next.isEmpty()) {
                break;
            }
            current = next.get();
        }
        pruneHistory(pipeline, runnerJobs);
        CurrentRun run = pipeline.getStatus().getCurrentRun();
        if (current.state() == JobState.ACTIVE && run != null) {
            takeProgress(pipeline, current, observer.podsOf(run.getJob(), runnerJobs, runnerPods));
        }
        Optional<Instant> nextTick = violations.isEmpty() ? requests.nextTick(pipeline, now) : Optional.empty();
        Optional<Instant> retryAt = violations.isEmpty() && run == null ? RunRetries.nextAt(pipeline) : Optional.empty();
        status.settle(pipeline, violations, current, nextTick, retryAt, now);

        // most passes (a Job or pod changed, a resync) change nothing in status: they write nothing
        boolean changed = !STATUS_JSON.valueToTree(pipeline.getStatus()).equals(statusBefore);
        List<Duration> wakeUps = new ArrayList<>();
        if (changed && !status.write(pipeline, context)) {
            // the newer pipeline's own event may be filtered out (a status-only change): come back for it
            wakeUps.add(AFTER_CONFLICT);
        }
        if (current.state() == JobState.ACTIVE) {
            // nothing else may wake the reconciler if the Job controller never creates a pod, or while a run only makes progress
            wakeUps.add(current.pods() == 0 ? RunObserver.POD_CREATION_GRACE.plusSeconds(1) : progressRefresh);
        }
        nextTick.ifPresent(tick -> wakeUps.add(Duration.between(now, tick).plusSeconds(1)));
        // a retry already due waits for spec.suspend to be unset, which wakes the reconciler itself
        retryAt.filter(at -> at.isAfter(now)).ifPresent(at -> wakeUps.add(Duration.between(now, at).plusMillis(500)));
        UpdateControl<EtlPipeline> update = UpdateControl.noUpdate();
        return wakeUps.stream().min(Comparator.naturalOrder()).map(update::rescheduleAfter).orElse(update);
    }

    private RunObservation observeCurrentRun(EtlPipeline pipeline, List<Job> runnerJobs, List<Pod> runnerPods, Instant now) {
        CurrentRun run = pipeline.getStatus().getCurrentRun();
        return run == null ? RunObservation.missing() : observer.observe(run.getJob(), runnerJobs, runnerPods, now);
    }

    private List<Violation> validate(EtlPipeline pipeline) {
        List<Violation> violations = new ArrayList<>(validator.validate(pipeline));
        if (pipeline.getSpec() != null) {
            violations.addAll(RunRequests.checkSchedule(pipeline.getSpec()));
        }
        return violations;
    }

    /** Carries the decision out; returns what is observed of the run afterwards, or empty when the pass has nothing left to do. */
    private Optional<RunObservation> carryOut(Decision decision, EtlPipeline pipeline, List<Pod> runnerPods, Instant now) {
        CurrentRun run = pipeline.getStatus().getCurrentRun();
        if (decision instanceof Decision.Start start) {
            status.startRun(pipeline, start.request(), now);
        } else if (decision instanceof Decision.SkipTick skip) {
            status.skipTick(pipeline, skip.tick());
        } else if (decision instanceof Decision.Adopt adopt) {
            status.adoptRun(pipeline, adopt.orphan(), now);
            return Optional.of(observer.observe(adopt.orphan().getMetadata().getName(), List.of(adopt.orphan()), runnerPods, now));
        } else if (decision instanceof Decision.CreateJob) {
            return createJob(pipeline, run, runnerPods, now);
        } else if (decision instanceof Decision.Suspend) {
            jobs.suspend(pipeline, run.getJob());
            events.normal(pipeline, "Pausing", "run " + run.getJob() + " pauses after its batch in flight");
            return Optional.empty();
        } else if (decision instanceof Decision.Resume) {
            jobs.resume(pipeline, run.getJob());
            events.normal(pipeline, "Resuming", "run " + run.getJob() + " resumes from its checkpoint");
            return Optional.empty();
        } else if (decision instanceof Decision.Close close) {
            status.closeRun(pipeline, close.finished(), now);
        } else if (decision instanceof Decision.Drop) {
            status.dropRun(pipeline);
        } else {
            return Optional.empty();
        }
        return Optional.of(RunObservation.missing());
    }

    /** Creates the run's Job; one created by an operator that stopped before recording it is adopted, as it is now. */
    private Optional<RunObservation> createJob(EtlPipeline pipeline, CurrentRun run, List<Pod> runnerPods, Instant now) {
        try {
            Optional<Job> adopted = jobs.createOrAdopt(pipeline, run.getNumber(), run.getJob());
            if (adopted.isPresent()) {
                return Optional.of(observer.observe(run.getJob(), List.of(adopted.get()), runnerPods, now));
            }
            events.normal(pipeline, "RunStarted", "run " + run.getJob() + " (" + run.getReason() + ")");
            return Optional.of(RunObservation.started());
        } catch (RunnerJobs.ForeignJobException e) {
            status.closeUnstarted(pipeline, e.getMessage(), now);
            return Optional.of(RunObservation.missing());
        }
    }

    /** What the run's pods have reported so far: one runner's progress, or each range's and their sums. */
    private void takeProgress(EtlPipeline pipeline, RunObservation observation, List<Pod> runPods) {
        if (runPods.stream().anyMatch(pod -> RunObserver.completionIndex(pod).isPresent())) {
            status.takeRangeProgress(pipeline, observation.ranges(), progress.readRanges(runPods));
        } else {
            status.takeProgress(pipeline, progress.read(runPods));
        }
    }

    /** Deletes the Jobs of recorded runs beyond the history kept: finished Jobs would otherwise pile up, and be cached here. */
    private void pruneHistory(EtlPipeline pipeline, List<Job> runnerJobs) {
        EtlPipelineStatus recorded = pipeline.getStatus();
        long runs = recorded.getCurrentRun() != null ? recorded.getCurrentRun().getNumber() - 1
                : recorded.getRunCount() == null ? 0 : recorded.getRunCount();
        observer.finishedBeyond(runnerJobs, runs, jobs.history()).forEach(job -> jobs.delete(pipeline, job.getMetadata().getName()));
    }
}
