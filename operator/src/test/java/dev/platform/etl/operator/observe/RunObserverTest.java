package dev.platform.etl.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.job.RunnerJobFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a suspended run's Job and pods say, as a real Job controller and kubelet leave them. */
class RunObserverTest {
    private static final Instant NOW = Instant.parse("2026-11-26T04:10:00Z");
    private final RunObserver observer = new RunObserver();

    @Test
    void aJobThatHasCreatedNoPodWithinTheGraceIsReportedAsSuch() {
        Job job = activeJob(NOW);

        assertThat(observer.observe("p-1", List.of(job), List.of(), NOW).state()).isEqualTo(JobState.ACTIVE);
        Instant later = NOW.plus(RunObserver.POD_CREATION_GRACE);
        assertThat(observer.observe("p-1", List.of(job), List.of(), later).state()).isEqualTo(JobState.NO_POD);
        assertThat(observer.observe("p-1", List.of(job), List.of(pod("Running", null)), later).state()).isEqualTo(JobState.ACTIVE);
    }

    @Test
    void aJobWhosePodWasJustDeletedIsGivenTheWholeGraceToCreateTheNext() {
        Job old = activeJob(NOW.minus(Duration.ofHours(1)));
        assertThat(observer.observe("p-1", List.of(old), List.of(pod("Running", null)), NOW).state()).isEqualTo(JobState.ACTIVE);

        Instant deleted = NOW.plusSeconds(60);
        assertThat(observer.observe("p-1", List.of(old), List.of(), deleted).state()).as("the pod just deleted").isEqualTo(JobState.ACTIVE);
        assertThat(observer.observe("p-1", List.of(old), List.of(), deleted.plus(RunObserver.POD_CREATION_GRACE).minusSeconds(1)).state())
                .as("the Job controller's backoff before the next pod").isEqualTo(JobState.ACTIVE);
        assertThat(observer.observe("p-1", List.of(old), List.of(), deleted.plus(RunObserver.POD_CREATION_GRACE)).state())
                .isEqualTo(JobState.NO_POD);
    }

    @Test
    void aPodThatNoNodeCanTakeIsReportedWithTheSchedulersMessage() {
        Pod unschedulable = new PodBuilder().withNewMetadata().withName("p-1-abcde").addToLabels(Labels.RUN, "1").endMetadata()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient cpu.").endCondition().endStatus()
                .build();

        RunObservation observation = observer.observe("p-1", List.of(activeJob(NOW)), List.of(unschedulable), NOW);

        assertThat(observation.state()).isEqualTo(JobState.POD_CANNOT_START);
        assertThat(observation.stuckPod()).isEqualTo("pod p-1-abcde: Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.");
    }

    @Test
    void aPodWhoseContainerTheKubeletRefusesToStartIsReportedWithTheKubeletsReason() {
        Job job = activeJob(NOW.minusSeconds(5));
        Pod refused = waiting("CreateContainerConfigError", "container has runAsNonRoot and image will run as root");

        RunObservation observation = observer.observe("p-1", List.of(job), List.of(refused), NOW);

        assertThat(observation.state()).isEqualTo(JobState.POD_CANNOT_START);
        assertThat(observation.stuckPod())
                .isEqualTo("pod p-1-abcde: CreateContainerConfigError: container has runAsNonRoot and image will run as root");
        assertThat(observer.observe("p-1", List.of(job), List.of(waiting("ContainerCreating", null)), NOW).state())
                .as("a container on its way up").isEqualTo(JobState.ACTIVE);
        assertThat(observer.observe("p-1", List.of(suspendedJob(1)), List.of(refused), NOW).state())
                .as("a paused run whose pod is going").isEqualTo(JobState.STOPPING);
    }

    @Test
    void anImagePullAndItsBackOffAreReportedAsOneStateWithThePullsError() {
        Job job = activeJob(NOW.minusSeconds(5));
        String error = "failed to pull and unpack image \"etl-runner-missing:1\": not found";

        String pulling = observer.observe("p-1", List.of(job), List.of(waiting("ErrImagePull", error)), NOW).stuckPod();
        String backingOff = observer.observe("p-1", List.of(job),
                List.of(waiting("ImagePullBackOff", "Back-off pulling image \"etl-runner-missing:1\": ErrImagePull: " + error)), NOW).stuckPod();

        assertThat(pulling).isEqualTo("pod p-1-abcde: ErrImagePull: " + error);
        assertThat(backingOff).isEqualTo(pulling);
    }

    @Test
    void aSuspendedJobWhosePodIsStillTerminatingIsStoppingNotSuspended() {
        Pod terminating = pod("Running", "2026-11-26T04:00:00Z");

        assertThat(observer.observe("p-1", List.of(suspendedJob(null)), List.of(terminating), NOW).state()).isEqualTo(JobState.STOPPING);
    }

    @Test
    void aSuspendedJobThatCountsATerminatingPodIsStopping() {
        assertThat(observer.observe("p-1", List.of(suspendedJob(1)), List.of(), NOW).state()).isEqualTo(JobState.STOPPING);
    }

    @Test
    void aSuspendedJobIsSuspendedOnceItsPodHasExited() {
        Pod exited = pod("Failed", "2026-11-26T04:00:00Z");

        assertThat(observer.observe("p-1", List.of(suspendedJob(0)), List.of(exited), NOW).state()).isEqualTo(JobState.SUSPENDED);
    }

    @Test
    void aRunOfSeveralRangesSumsTheLatestSummaryOfEachRangeAndTakesTheWorstResult() {
        Job indexed = new JobBuilder().withNewMetadata().withName("p-1").addToLabels(Labels.RUN, "1").endMetadata()
                .withNewSpec().withCompletionMode("Indexed").withCompletions(3).endSpec()
                .withNewStatus().addNewCondition().withType("Failed").withStatus("True").endCondition().endStatus()
                .build();
        List<Pod> pods = List.of(
                ended(0, "2026-11-26T04:00:00Z", "SUCCEEDED", 100, null),
                ended(1, "2026-11-26T04:00:00Z", "PAUSED", 40, null),
                ended(1, "2026-11-26T04:01:00Z", "SUCCEEDED", 60, null),
                ended(2, "2026-11-26T04:00:00Z", "FAILED", 10, "permission denied"));

        RunObservation observation = observer.observe("p-1", List.of(indexed), pods, NOW);

        assertThat(observation.ranges()).containsOnlyKeys(0, 1, 2);
        assertThat(observation.ranges().get(1).rowsRead()).isEqualTo(60);
        assertThat(observation.summary()).hasValueSatisfying(summary -> {
            assertThat(summary.result()).isEqualTo(RunResult.FAILED);
            assertThat(summary.rowsRead()).isEqualTo(170);
            assertThat(summary.checkpoint()).isEmpty();
            assertThat(summary.message()).isEqualTo("range 2: permission denied");
        });
    }

    private static Pod ended(int index, String created, String result, long rows, String message) {
        String summary = "{\"pipeline\":\"ns/p\",\"runId\":\"p-1\",\"range\":\"" + index + "/3\",\"result\":\"" + result
                + "\",\"rowsRead\":" + rows + ",\"rowsWritten\":" + rows + ",\"batches\":1"
                + (message == null ? "" : ",\"message\":\"" + message + "\"") + "}";
        return new PodBuilder().withNewMetadata().withName("p-1-" + index + "-" + created.hashCode()).withCreationTimestamp(created)
                .addToLabels(Labels.RUN, "1").addToAnnotations(RunnerJobFactory.COMPLETION_INDEX, String.valueOf(index)).endMetadata()
                .withNewStatus().withPhase(result.equals("FAILED") ? "Failed" : "Succeeded")
                .addNewContainerStatus().withName(RunnerJobFactory.CONTAINER).withNewState().withNewTerminated()
                .withMessage(summary).endTerminated().endState().endContainerStatus().endStatus()
                .build();
    }

    private static Job activeJob(Instant created) {
        return new JobBuilder().withNewMetadata().withName("p-1").addToLabels(Labels.RUN, "1").withCreationTimestamp(created.toString()).endMetadata()
                .withNewSpec().withSuspend(false).endSpec()
                .build();
    }

    private static Job suspendedJob(Integer terminating) {
        return new JobBuilder().withNewMetadata().withName("p-1").addToLabels(Labels.RUN, "1").endMetadata()
                .withNewSpec().withSuspend(true).endSpec()
                .withNewStatus().withActive(0).withTerminating(terminating).endStatus()
                .build();
    }

    private static Pod waiting(String reason, String message) {
        return new PodBuilder().withNewMetadata().withName("p-1-abcde").addToLabels(Labels.RUN, "1").endMetadata()
                .withNewStatus().withPhase("Pending").addNewContainerStatus().withName(RunnerJobFactory.CONTAINER)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .endContainerStatus().endStatus()
                .build();
    }

    private static Pod pod(String phase, String deletionTimestamp) {
        return new PodBuilder().withNewMetadata().withName("p-1-abcde").addToLabels(Labels.RUN, "1")
                .withDeletionTimestamp(deletionTimestamp).endMetadata()
                .withNewStatus().withPhase(phase).endStatus()
                .build();
    }
}
