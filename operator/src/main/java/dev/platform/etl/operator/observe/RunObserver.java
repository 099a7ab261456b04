package dev.platform.etl.operator.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.job.RunnerJobFactory;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads a run's state from its Job and the runner's result from its pods' termination messages. */
public final class RunObserver {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public RunObservation observe(String jobName, Collection<Job> jobs, Collection<Pod> pods) {
        Optional<Job> job = jobs.stream().filter(j -> j.getMetadata().getName().equals(jobName)).findFirst();
        if (job.isEmpty()) {
            return RunObservation.missing();
        }
        String run = job.get().getMetadata().getLabels().get(Labels.RUN);
        Collection<Pod> runPods = pods.stream().filter(p -> Objects.equals(run, p.getMetadata().getLabels().get(Labels.RUN))).toList();
        return new RunObservation(state(job.get(), runPods), summary(runPods), failureDetail(job.get()));
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
            boolean podAlive = pods.stream().anyMatch(RunObserver::alive)
                    || (job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0);
            return podAlive ? JobState.STOPPING : JobState.SUSPENDED;
        }
        return JobState.ACTIVE;
    }

    private static boolean alive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getMetadata().getDeletionTimestamp() == null && ("Running".equals(phase) || "Pending".equals(phase));
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
                .findFirst().orElse(null);
    }

    private static Optional<RunnerSummary> summary(Collection<Pod> pods) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder()))
                        .reversed())
                .map(RunObserver::terminationMessage)
                .flatMap(Optional::stream)
                .findFirst();
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
