package dev.platform.etl.operator.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.job.RunnerJobFactory;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Reads a run's state from its Job and the runner's result from its pods' termination messages. */
public final class RunObserver {
    /** How long a Job may go without a pod before the run is reported as unable to start one. */
    public static final Duration POD_CREATION_GRACE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> NORMAL_WAITING = Set.of("ContainerCreating", "PodInitializing");
    private static final String PULL_ERROR = ": ErrImagePull: ";

    /**
     * Since when each active Job (by UID) has been seen without a pod. A Job whose pod was deleted
     * has none until the Job controller creates the next, after its backoff: that is no reason to
     * warn, so the grace runs from when the pod was first missed, not from the Job's creation.
     */
    private final Map<String, Instant> podlessSince = new ConcurrentHashMap<>();

    public RunObservation observe(String jobName, Collection<Job> jobs, Collection<Pod> pods, Instant now) {
        Optional<Job> job = jobs.stream().filter(j -> j.getMetadata().getName().equals(jobName)).findFirst();
        if (job.isEmpty()) {
            return RunObservation.missing();
        }
        Collection<Pod> runPods = podsOf(job.get(), pods);
        JobState state = state(job.get(), runPods);
        if (state != JobState.ACTIVE || !runPods.isEmpty()) {
            podlessSince.remove(key(job.get()));
        } else if (podlessFor(job.get(), now).compareTo(POD_CREATION_GRACE) >= 0) {
            state = JobState.NO_POD;
        }
        String stuckPod = state == JobState.ACTIVE ? runPods.stream().map(RunObserver::cannotStart).flatMap(Optional::stream)
                .findFirst().orElse(null) : null;
        if (stuckPod != null) {
            state = JobState.POD_CANNOT_START;
        }
        if (!indexed(job.get())) {
            return new RunObservation(state, newestSummary(runPods), Map.of(), failureDetail(job.get()), runPods.size(), stuckPod);
        }
        Map<Integer, RunnerSummary> ranges = summariesByIndex(runPods);
        Optional<RunnerSummary> combined = ranges.isEmpty() ? Optional.empty() : Optional.of(RunnerSummary.combined(ranges));
        return new RunObservation(state, combined, ranges, failureDetail(job.get()), runPods.size(), stuckPod);
    }

    /**
     * Why the kubelet cannot start the pod's runner container, as {@code pod NAME: REASON: message}:
     * it waits for a reason other than the two of a normal start, e.g. CreateContainerConfigError
     * (a root image under runAsNonRoot, a missing Secret) or ImagePullBackOff; or the scheduler
     * finds no node for it (Unschedulable, e.g. resources no node has).
     */
    private static Optional<String> cannotStart(Pod pod) {
        if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        Optional<String> unschedulable = Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
                .map(c -> "pod " + pod.getMetadata().getName() + ": Unschedulable" + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .findFirst();
        if (unschedulable.isPresent() || pod.getStatus().getContainerStatuses() == null) {
            return unschedulable;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> RunnerJobFactory.CONTAINER.equals(s.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getWaiting() != null && state.getWaiting().getReason() != null)
                .map(state -> state.getWaiting())
                .filter(waiting -> !NORMAL_WAITING.contains(waiting.getReason()))
                .map(waiting -> "pod " + pod.getMetadata().getName() + ": " + waitingFor(waiting))
                .findFirst();
    }

    /**
     * {@code REASON: message}. The kubelet alternates ErrImagePull (at each pull) and
     * ImagePullBackOff (in between, its message ending with that pull's error): both are told as
     * the ErrImagePull they are, so that the pipeline's condition, and its Warning, say it once.
     */
    private static String waitingFor(ContainerStateWaiting waiting) {
        String message = waiting.getMessage() == null ? "" : waiting.getMessage();
        int pullError = message.indexOf(PULL_ERROR);
        if ("ImagePullBackOff".equals(waiting.getReason()) && pullError >= 0) {
            return "ErrImagePull: " + message.substring(pullError + PULL_ERROR.length());
        }
        return waiting.getReason() + (message.isEmpty() ? "" : ": " + message);
    }

    /** The pods of the run whose Job is named {@code jobName}. */
    public List<Pod> podsOf(String jobName, Collection<Job> jobs, Collection<Pod> pods) {
        return jobs.stream().filter(j -> j.getMetadata().getName().equals(jobName)).findFirst().map(job -> podsOf(job, pods)).orElse(List.of());
    }

    private static List<Pod> podsOf(Job job, Collection<Pod> pods) {
        String run = job.getMetadata().getLabels().get(Labels.RUN);
        return pods.stream().filter(p -> Objects.equals(run, p.getMetadata().getLabels().get(Labels.RUN))).toList();
    }

    /** How long the active Job has had no pod, as this operator saw it; an operator restarted in between starts counting again. */
    private Duration podlessFor(Job job, Instant now) {
        return Duration.between(podlessSince.computeIfAbsent(key(job), k -> now), now);
    }

    private static String key(Job job) {
        return Objects.requireNonNullElse(job.getMetadata().getUid(), job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());
    }

    /**
     * Finished runner Jobs of runs already recorded (numbers up to {@code recordedRuns}) beyond the
     * newest {@code keep}: the history to delete.
     */
    public List<Job> finishedBeyond(Collection<Job> jobs, long recordedRuns, int keep) {
        return jobs.stream().filter(j -> state(j, List.of()).finished())
                .filter(j -> runNumber(j) <= recordedRuns)
                .sorted(Comparator.comparingLong(RunObserver::runNumber).reversed())
                .skip(keep).toList();
    }

    private static long runNumber(Job job) {
        return Long.parseLong(job.getMetadata().getLabels().get(Labels.RUN));
    }

    /** A runner Job of the pipeline that has not finished, if any. */
    public Optional<Job> unfinishedJob(Collection<Job> jobs) {
        return jobs.stream().filter(j -> !state(j, List.of()).finished()).findFirst();
    }

    private static JobState state(Job job, Collection<Pod> pods) {
        if (condition(job, "Complete")) {
            return JobState.SUCCEEDED;
        }
        if (condition(job, "Failed")) {
            return JobState.FAILED;
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            boolean podAlive = pods.stream().anyMatch(RunObserver::alive) || positive(job.getStatus() == null ? null : job.getStatus().getActive())
                    || positive(job.getStatus() == null ? null : job.getStatus().getTerminating());
            return podAlive ? JobState.STOPPING : JobState.SUSPENDED;
        }
        return JobState.ACTIVE;
    }

    /** A pod being deleted is still alive until its process has exited: the runner may be finishing its batch. */
    private static boolean alive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static boolean positive(Integer count) {
        return count != null && count > 0;
    }

    private static boolean condition(Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String failureDetail(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(JobCondition::getReason)
                .filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static boolean indexed(Job job) {
        return "Indexed".equals(job.getSpec().getCompletionMode());
    }

    private static Optional<RunnerSummary> newestSummary(Collection<Pod> pods) {
        return newestFirst(pods).map(RunObserver::terminationMessage).flatMap(Optional::stream).findFirst();
    }

    /** Each range's summary from its latest pod that left one, by completion index. */
    private static Map<Integer, RunnerSummary> summariesByIndex(Collection<Pod> pods) {
        Map<Integer, RunnerSummary> byIndex = new TreeMap<>();
        newestFirst(pods).forEach(pod -> completionIndex(pod).ifPresent(index -> {
            if (!byIndex.containsKey(index)) {
                terminationMessage(pod).ifPresent(summary -> byIndex.put(index, summary));
            }
        }));
        return byIndex;
    }

    /** The range a pod of an Indexed Job reads, from the index the Job controller wrote on it. */
    public static Optional<Integer> completionIndex(Pod pod) {
        String index = Optional.ofNullable(pod.getMetadata().getAnnotations()).map(a -> a.get(RunnerJobFactory.COMPLETION_INDEX))
                .orElse(Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(RunnerJobFactory.COMPLETION_INDEX)).orElse(null));
        try {
            return index == null ? Optional.empty() : Optional.of(Integer.parseInt(index));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Stream<Pod> newestFirst(Collection<Pod> pods) {
        return pods.stream().sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
    }

    private static Optional<RunnerSummary> terminationMessage(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> RunnerJobFactory.CONTAINER.equals(s.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getTerminated() != null)
                .map(state -> state.getTerminated())
                .map(ContainerStateTerminated::getMessage)
                .filter(message -> message != null && message.strip().startsWith("{"))
                .map(RunObserver::parse)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<RunnerSummary> parse(String message) {
        try {
            String[] lines = message.strip().split("\n");
            return Optional.of(JSON.readValue(lines[lines.length - 1], RunnerSummary.class));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
