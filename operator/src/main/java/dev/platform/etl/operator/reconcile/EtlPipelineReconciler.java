package dev.platform.etl.operator.reconcile;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.validation.PipelineValidator;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.health.OperatorMetrics;
import dev.platform.etl.operator.job.JobNames;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.job.RunnerJobs;
import dev.platform.etl.operator.observe.JobState;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunObserver;
import dev.platform.etl.operator.observe.RunProgressReader;
import dev.platform.etl.operator.run.RunRequests;
import dev.platform.etl.operator.status.Conditions;
import dev.platform.etl.operator.status.Phases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns an EtlPipeline into runner Jobs, one run at a time: validate, observe the current run,
 * settle or steer it, start the next run if one is requested, and report it all in status.
 *
 * <p>A new run is first recorded in status (its number and deterministic Job name) and its Job
 * is created on the next pass, so an operator restarted in between adopts the Job instead of
 * creating a second one; a finished run is recorded once and never launched again.
 */
@ControllerConfiguration(name = "etlpipeline")
public final class EtlPipelineReconciler implements Reconciler<EtlPipeline> {
    private static final Duration CREATE_JOB_SOON = Duration.ofMillis(200);
    /** How often a running run's progress is read again when nothing else wakes the reconciler. */
    static final Duration PROGRESS_REFRESH = Duration.ofSeconds(15);

    private final PipelineValidator validator;
    private final RunnerJobs jobs;
    private final RunObserver observer = new RunObserver();
    private final RunRequests requests = new RunRequests();
    private final RunRecorder recorder;
    private final RunProgressReader progress;
    private final PipelineEvents events;
    private final Clock clock;

    public EtlPipelineReconciler(PipelineValidator validator, RunnerJobs jobs, RunProgressReader progress, PipelineEvents events,
                                 OperatorMetrics metrics, Clock clock) {
        this.validator = validator;
        this.jobs = jobs;
        this.progress = progress;
        this.events = events;
        this.recorder = new RunRecorder(events, metrics);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, EtlPipeline>> prepareEventSources(EventSourceContext<EtlPipeline> context) {
        return List.of(informer(Job.class, context), informer(Pod.class, context));
    }

    /** Runner Jobs and pods only (by label), each mapped to its pipeline by label. */
    private static <R extends HasMetadata> InformerEventSource<R, EtlPipeline> informer(Class<R> type, EventSourceContext<EtlPipeline> context) {
        SecondaryToPrimaryMapper<R> byPipelineLabel = resource -> {
            String pipeline = resource.getMetadata().getLabels() == null ? null : resource.getMetadata().getLabels().get(Labels.PIPELINE);
            return pipeline == null ? Set.of() : Set.of(new ResourceID(pipeline, resource.getMetadata().getNamespace()));
        };
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, EtlPipeline.class)
                .withName(type.getSimpleName().toLowerCase())
                .withLabelSelector(Labels.SELECTOR)
                .withSecondaryToPrimaryMapper(byPipelineLabel)
                .withNamespacesInheritedFromController()
                .build(), context);
    }

    @Override
    public UpdateControl<EtlPipeline> reconcile(EtlPipeline pipeline, Context<EtlPipeline> context) {
        Instant now = clock.instant();
        if (pipeline.getStatus() == null) {
            pipeline.setStatus(new EtlPipelineStatus());
        }
        EtlPipelineStatus status = pipeline.getStatus();
        long generation = pipeline.getMetadata().getGeneration() == null ? 0 : pipeline.getMetadata().getGeneration();
        List<Job> runnerJobs = new ArrayList<>(context.getSecondaryResources(Job.class));
        List<Pod> runnerPods = new ArrayList<>(context.getSecondaryResources(Pod.class));
        List<Violation> violations = validate(pipeline);
        boolean valid = violations.isEmpty();

        RunObservation current = status.getCurrentRun() == null ? RunObservation.missing()
                : observer.observe(status.getCurrentRun().getJob(), runnerJobs, runnerPods, now);
        if (status.getCurrentRun() != null) {
            current = steer(pipeline, valid, current, now);
        }
        recordValidity(pipeline, violations, generation, now);
        boolean intentRecorded = false;
        if (valid && status.getCurrentRun() == null && !Boolean.TRUE.equals(pipeline.getSpec().getSuspend())) {
            intentRecorded = recordNextRun(pipeline, runnerJobs, now);
        }

        if (current.state() == JobState.ACTIVE && status.getCurrentRun() != null) {
            progress.read(observer.podsOf(status.getCurrentRun().getJob(), runnerJobs, runnerPods)).ifPresent(status.getCurrentRun()::takeProgress);
        }
        status.setPhase(Phases.of(pipeline, valid, current.state()));
        recordRunning(pipeline, current.state(), generation, now);
        status.setObservedGeneration(generation);
        Optional<Instant> nextTick = valid ? requests.nextTick(pipeline, now) : Optional.empty();
        status.setNextScheduledTime(nextTick.map(Instant::toString).orElse(null));

        UpdateControl<EtlPipeline> update = UpdateControl.patchStatus(pipeline);
        if (intentRecorded) {
            return update.rescheduleAfter(CREATE_JOB_SOON);
        }
        List<Duration> wakeUps = new ArrayList<>();
        if (current.state() == JobState.ACTIVE) {
            // nothing else may wake the reconciler if the Job controller never creates a pod, or while a run only makes progress
            wakeUps.add(current.pods() == 0 ? RunObserver.POD_CREATION_GRACE.plusSeconds(1) : PROGRESS_REFRESH);
        }
        nextTick.ifPresent(tick -> wakeUps.add(Duration.between(now, tick).plusSeconds(1)));
        return wakeUps.stream().min(Comparator.naturalOrder()).map(update::rescheduleAfter).orElse(update);
    }

    private List<Violation> validate(EtlPipeline pipeline) {
        List<Violation> violations = new ArrayList<>(validator.validate(pipeline));
        if (pipeline.getSpec() != null) {
            RunRequests.checkSchedule(pipeline.getSpec().getSchedule()).ifPresent(violations::add);
        }
        return violations;
    }

    /** Drives the current run towards what the spec wants; closes it when its Job has finished. */
    private RunObservation steer(EtlPipeline pipeline, boolean valid, RunObservation observation, Instant now) {
        CurrentRun run = pipeline.getStatus().getCurrentRun();
        boolean suspend = Boolean.TRUE.equals(pipeline.getSpec().getSuspend());
        switch (observation.state()) {
            case MISSING -> {
                if (!valid) {
                    // decided before the spec became invalid: dropped rather than started
                    pipeline.getStatus().setCurrentRun(null);
                    return observation;
                }
                if (suspend) {
                    return observation; // starts when the pipeline is resumed
                }
                try {
                    jobs.createOrAdopt(pipeline, run.getNumber(), run.getJob());
                    events.normal(pipeline, "RunStarted", "run " + run.getJob() + " (" + run.getReason() + ")");
                    return new RunObservation(JobState.ACTIVE, Optional.empty(), null, 0);
                } catch (RunnerJobs.ForeignJobException e) {
                    recorder.couldNotStart(pipeline, run, e.getMessage(), now);
                }
            }
            case ACTIVE -> {
                if (suspend) {
                    jobs.suspend(pipeline, run.getJob());
                    events.normal(pipeline, "Pausing", "run " + run.getJob() + " pauses after its batch in flight");
                }
            }
            case SUSPENDED, STOPPING -> {
                if (!suspend) {
                    jobs.resume(pipeline, run.getJob());
                    events.normal(pipeline, "Resuming", "run " + run.getJob() + " resumes from its checkpoint");
                }
            }
            case SUCCEEDED, FAILED -> recorder.finished(pipeline, run, observation, now);
        }
        return observation;
    }

    private void recordRunning(EtlPipeline pipeline, JobState state, long generation, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        CurrentRun run = status.getCurrentRun();
        if (run == null) {
            Conditions.set(status, Conditions.RUNNING, false, "Idle", "no run in progress", generation, now);
        } else if (state == JobState.NO_POD) {
            String message = "Job " + run.getJob() + " has created no runner pod in " + RunObserver.POD_CREATION_GRACE.toSeconds()
                    + " s: the Job controller cannot create it; kubectl describe job " + run.getJob() + " -n "
                    + pipeline.getMetadata().getNamespace() + " shows why";
            if (!Conditions.says(status, Conditions.RUNNING, false, message)) {
                events.warning(pipeline, "PodNotCreated", message);
            }
            Conditions.set(status, Conditions.RUNNING, false, "PodNotCreated", message, generation, now);
        } else {
            Conditions.set(status, Conditions.RUNNING, true, "RunInProgress", "run " + run.getJob() + " (" + run.getReason() + ")", generation, now);
        }
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

    /**
     * If a run is requested, records it in status (number, Job name, what it handles) without
     * creating its Job yet. A runner Job of this pipeline that is still running (from a status
     * that was lost) is adopted as the current run instead.
     */
    private boolean recordNextRun(EtlPipeline pipeline, List<Job> runnerJobs, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        Optional<Job> orphan = observer.unfinishedJob(runnerJobs);
        if (orphan.isPresent()) {
            long number = Long.parseLong(orphan.get().getMetadata().getLabels().get(Labels.RUN));
            status.setCurrentRun(new CurrentRun(number, orphan.get().getMetadata().getName(), "adopted", now.toString()));
            status.setRunCount(Math.max(number, status.getRunCount() == null ? 0 : status.getRunCount()));
            return false;
        }
        Optional<RunRequests.Request> request = requests.pending(pipeline, now);
        if (request.isEmpty()) {
            return false;
        }
        long number = (status.getRunCount() == null ? 0 : status.getRunCount()) + 1;
        String job = JobNames.forRun(pipeline.getMetadata().getName(), number);
        status.setCurrentRun(new CurrentRun(number, job, request.get().reason(), now.toString()));
        status.setRunCount(number);
        status.setHandledRunRequest(request.get().runRequest());
        if (request.get().scheduleTick() != null) {
            status.setLastScheduledTime(request.get().scheduleTick().toString());
        }
        return true;
    }
}
