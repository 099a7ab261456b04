package dev.platform.etl.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.platform.etl.operator.status.RunProgress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns an EtlPipeline into runner Jobs, one run at a time: validate, observe the current run,
 * settle or steer it, start the next run if one is requested, and report it all in status.
 *
 * <p>A new run is recorded in status (its number and deterministic Job name) and its Job created
 * in the same pass. An operator that stopped in between finds the run's number unrecorded, takes
 * the same number again, and adopts the Job of that name instead of creating a second one; a
 * finished run is recorded once and never launched again.
 */
@ControllerConfiguration(name = "etlpipeline")
public final class EtlPipelineReconciler implements Reconciler<EtlPipeline> {
    private static final ObjectMapper STATUS_JSON = new ObjectMapper();

    private final PipelineValidator validator;
    private final RunnerJobs jobs;
    private final RunObserver observer = new RunObserver();
    private final RunRequests requests = new RunRequests();
    private final RunRecorder recorder;
    private final RunProgressReader progress;
    private final PipelineEvents events;
    /** How often a running run's progress is read again when nothing else wakes the reconciler. */
    private final Duration progressRefresh;
    private final Clock clock;

    public EtlPipelineReconciler(PipelineValidator validator, RunnerJobs jobs, RunProgressReader progress, Duration progressRefresh,
                                 PipelineEvents events, OperatorMetrics metrics, Clock clock) {
        this.progressRefresh = progressRefresh;
        this.validator = validator;
        this.jobs = jobs;
        this.progress = progress;
        this.events = events;
        this.recorder = new RunRecorder(events, metrics);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, EtlPipeline>> prepareEventSources(EventSourceContext<EtlPipeline> context) {
        return List.of(informer(Job.class, LeanInformerStore.forJobs(), context), informer(Pod.class, LeanInformerStore.forPods(), context));
    }

    /** The cache of pipelines, without their managedFields. */
    public static ItemStore<EtlPipeline> pipelineStore() {
        return LeanInformerStore.withoutManagedFields();
    }

    /** Runner Jobs and pods only (by label), each mapped to its pipeline by label, cached lean. */
    private static <R extends HasMetadata> InformerEventSource<R, EtlPipeline> informer(Class<R> type, LeanInformerStore<R> store,
                                                                                      EventSourceContext<EtlPipeline> context) {
        SecondaryToPrimaryMapper<R> byPipelineLabel = resource -> {
            String pipeline = resource.getMetadata().getLabels() == null ? null : resource.getMetadata().getLabels().get(Labels.PIPELINE);
            return pipeline == null ? Set.of() : Set.of(new ResourceID(pipeline, resource.getMetadata().getNamespace()));
        };
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, EtlPipeline.class)
                .withName(type.getSimpleName().toLowerCase())
                .withLabelSelector(Labels.SELECTOR)
                .withItemStore(store)
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
        JsonNode statusBefore = STATUS_JSON.valueToTree(status);
        long generation = pipeline.getMetadata().getGeneration() == null ? 0 : pipeline.getMetadata().getGeneration();
        List<Job> runnerJobs = new ArrayList<>(context.getSecondaryResources(Job.class));
        List<Pod> runnerPods = new ArrayList<>(context.getSecondaryResources(Pod.class));
        List<Violation> violations = validate(pipeline);
        boolean valid = violations.isEmpty();

        RunObservation current = status.getCurrentRun() == null ? RunObservation.missing()
                : steerCurrentRun(pipeline, valid, runnerJobs, runnerPods, now);
        recordValidity(pipeline, violations, generation, now);
        if (valid && status.getCurrentRun() == null && !Boolean.TRUE.equals(pipeline.getSpec().getSuspend())
                && recordNextRun(pipeline, runnerJobs, now)) {
            // a new run's Job is created in this same pass: an operator that stopped before recording it adopts the Job by its name
            current = steerCurrentRun(pipeline, valid, runnerJobs, runnerPods, now);
        }

        pruneHistory(pipeline, runnerJobs);
        if (current.state() == JobState.ACTIVE && status.getCurrentRun() != null) {
            takeProgress(status.getCurrentRun(), current, observer.podsOf(status.getCurrentRun().getJob(), runnerJobs, runnerPods));
        }
        status.setPhase(Phases.of(pipeline, valid, current.state()));
        recordRunning(pipeline, current, generation, now);
        status.setObservedGeneration(generation);
        Optional<Instant> nextTick = valid ? requests.nextTick(pipeline, now) : Optional.empty();
        status.setNextScheduledTime(nextTick.map(Instant::toString).orElse(null));

        // most passes (a Job or pod changed, a resync) change nothing in status: they write nothing
        UpdateControl<EtlPipeline> update = STATUS_JSON.valueToTree(status).equals(statusBefore) ? UpdateControl.noUpdate()
                : UpdateControl.patchStatus(pipeline);
        List<Duration> wakeUps = new ArrayList<>();
        if (current.state() == JobState.ACTIVE) {
            // nothing else may wake the reconciler if the Job controller never creates a pod, or while a run only makes progress
            wakeUps.add(current.pods() == 0 ? RunObserver.POD_CREATION_GRACE.plusSeconds(1) : progressRefresh);
        }
        nextTick.ifPresent(tick -> wakeUps.add(Duration.between(now, tick).plusSeconds(1)));
        return wakeUps.stream().min(Comparator.naturalOrder()).map(update::rescheduleAfter).orElse(update);
    }

    /** What the run's pods have reported so far: one runner's progress, or each range's and their sums. */
    private void takeProgress(CurrentRun run, RunObservation observation, List<Pod> runPods) {
        if (runPods.stream().anyMatch(pod -> RunObserver.completionIndex(pod).isPresent())) {
            RunProgress.takeRanges(run, observation.ranges(), progress.readRanges(runPods));
        } else {
            progress.read(runPods).ifPresent(reported -> RunProgress.take(run, reported));
        }
    }

    /** Deletes the Jobs of recorded runs beyond the history kept: finished Jobs would otherwise pile up, and be cached here. */
    private void pruneHistory(EtlPipeline pipeline, List<Job> runnerJobs) {
        EtlPipelineStatus status = pipeline.getStatus();
        long recorded = status.getCurrentRun() != null ? status.getCurrentRun().getNumber() - 1
                : status.getRunCount() == null ? 0 : status.getRunCount();
        observer.finishedBeyond(runnerJobs, recorded, jobs.history()).forEach(job -> jobs.delete(pipeline, job.getMetadata().getName()));
    }

    private RunObservation steerCurrentRun(EtlPipeline pipeline, boolean valid, List<Job> runnerJobs, List<Pod> runnerPods, Instant now) {
        RunObservation observation = observer.observe(pipeline.getStatus().getCurrentRun().getJob(), runnerJobs, runnerPods, now);
        return steer(pipeline, valid, observation, runnerPods, now);
    }

    private List<Violation> validate(EtlPipeline pipeline) {
        List<Violation> violations = new ArrayList<>(validator.validate(pipeline));
        if (pipeline.getSpec() != null) {
            RunRequests.checkSchedule(pipeline.getSpec().getSchedule()).ifPresent(violations::add);
        }
        return violations;
    }

    /** Drives the current run towards what the spec wants; closes it when its Job has finished. */
    private RunObservation steer(EtlPipeline pipeline, boolean valid, RunObservation observation, List<Pod> runnerPods, Instant now) {
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
                    Optional<Job> adopted = jobs.createOrAdopt(pipeline, run.getNumber(), run.getJob());
                    if (adopted.isPresent()) {
                        // created by an operator that stopped before recording it: carry on from where that Job is
                        return steer(pipeline, valid, observer.observe(run.getJob(), List.of(adopted.get()), runnerPods, now), runnerPods, now);
                    }
                    events.normal(pipeline, "RunStarted", "run " + run.getJob() + " (" + run.getReason() + ")");
                    return RunObservation.started();
                } catch (RunnerJobs.ForeignJobException e) {
                    recorder.couldNotStart(pipeline, run, e.getMessage(), now);
                }
            }
            case ACTIVE, NO_POD, POD_CANNOT_START -> {
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
     * If a run is requested, records it in status (number, Job name, what it handles); its Job is
     * created next. A runner Job of this pipeline that is still running (from a status that was
     * lost) is adopted as the current run instead. Returns whether a run is now current.
     */
    private boolean recordNextRun(EtlPipeline pipeline, List<Job> runnerJobs, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        Optional<Job> orphan = observer.unfinishedJob(runnerJobs);
        if (orphan.isPresent()) {
            long number = Long.parseLong(orphan.get().getMetadata().getLabels().get(Labels.RUN));
            status.setCurrentRun(new CurrentRun(number, orphan.get().getMetadata().getName(), "adopted", now.toString()));
            status.setRunCount(Math.max(number, status.getRunCount() == null ? 0 : status.getRunCount()));
            Map<String, String> handled = Optional.ofNullable(orphan.get().getMetadata().getAnnotations()).orElse(Map.of());
            Optional.ofNullable(handled.get(Labels.RUN_REQUEST)).ifPresent(status::setHandledRunRequest);
            Optional.ofNullable(handled.get(Labels.SCHEDULE_TICK)).ifPresent(status::setLastScheduledTime);
            return true;
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
