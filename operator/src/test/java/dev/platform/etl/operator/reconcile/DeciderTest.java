package dev.platform.etl.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.observe.JobState;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunObserver;
import dev.platform.etl.operator.run.RunRequests;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the operator decides to do about a pipeline's run, from its spec, its status and what it observed. */
class DeciderTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final Decider decider = new Decider(new RunObserver(), new RunRequests());

    @Test
    void aRecordedRunWithoutItsJobGetsItsJobUnlessThePipelineIsSuspendedOrNoLongerValid() {
        assertThat(decide(withCurrentRun(false), true, observed(JobState.MISSING))).isInstanceOf(Decision.CreateJob.class);
        assertThat(decide(withCurrentRun(true), true, observed(JobState.MISSING))).isInstanceOf(Decision.None.class);
        assertThat(decide(withCurrentRun(false), false, observed(JobState.MISSING))).isInstanceOf(Decision.Drop.class);
    }

    @Test
    void aRunFollowsSpecSuspendBothWays() {
        for (JobState running : List.of(JobState.ACTIVE, JobState.NO_POD, JobState.POD_CANNOT_START)) {
            assertThat(decide(withCurrentRun(true), true, observed(running))).as(running.name()).isInstanceOf(Decision.Suspend.class);
            assertThat(decide(withCurrentRun(false), true, observed(running))).as(running.name()).isInstanceOf(Decision.None.class);
        }
        for (JobState suspended : List.of(JobState.SUSPENDED, JobState.STOPPING)) {
            assertThat(decide(withCurrentRun(false), true, observed(suspended))).as(suspended.name()).isInstanceOf(Decision.Resume.class);
            assertThat(decide(withCurrentRun(true), true, observed(suspended))).as(suspended.name()).isInstanceOf(Decision.None.class);
        }
    }

    @Test
    void aFinishedRunIsClosedWhateverTheSpecSays() {
        RunObservation failed = observed(JobState.FAILED);

        assertThat(decide(withCurrentRun(true), false, failed)).isEqualTo(new Decision.Close(failed));
        assertThat(decide(withCurrentRun(false), true, observed(JobState.SUCCEEDED))).isInstanceOf(Decision.Close.class);
    }

    @Test
    void aNewRunRequestStartsARunOnlyWhenValidAndNotSuspended() {
        EtlPipeline requested = idle(false, "r-2");

        assertThat(decide(requested, true, RunObservation.missing()))
                .isEqualTo(new Decision.Start(new RunRequests.Request("runRequest r-2", "r-2", null, true)));
        assertThat(decide(requested, false, RunObservation.missing())).isInstanceOf(Decision.None.class);
        assertThat(decide(idle(true, "r-2"), true, RunObservation.missing())).isInstanceOf(Decision.None.class);
        assertThat(decide(idle(false, "r-1"), true, RunObservation.missing())).as("r-1 was handled").isInstanceOf(Decision.None.class);
    }

    @Test
    void anUnfinishedJobWithoutARecordIsAdoptedBeforeAnyNewRunStarts() {
        Job orphan = new JobBuilder()
                .withMetadata(new ObjectMetaBuilder().withName("p-7").withLabels(Map.of(Labels.RUN, "7")).build())
                .withNewSpec().withSuspend(false).endSpec()
                .build();

        assertThat(decider.decide(idle(false, "r-2"), true, RunObservation.missing(), List.of(orphan), NOW))
                .isEqualTo(new Decision.Adopt(orphan));
    }

    @Test
    void aTickPastItsStartingDeadlineIsSkippedAndARunRequestStillStartsItsRun() {
        EtlPipeline pipeline = idle(false, "r-2");
        pipeline.getSpec().setSchedule("0 * * * *");
        pipeline.getSpec().setStartingDeadlineSeconds(30L);
        pipeline.getMetadata().setCreationTimestamp(NOW.minusSeconds(3600).toString());
        Instant late = NOW.plusSeconds(31);

        assertThat(decider.decide(pipeline, true, RunObservation.missing(), List.of(), late)).isEqualTo(new Decision.SkipTick(NOW));
        pipeline.getStatus().setLastScheduledTime(NOW.toString());
        assertThat(decider.decide(pipeline, true, RunObservation.missing(), List.of(), late))
                .isEqualTo(new Decision.Start(new RunRequests.Request("runRequest r-2", "r-2", null, true)));
    }

    private Decision decide(EtlPipeline pipeline, boolean valid, RunObservation current) {
        return decider.decide(pipeline, valid, current, List.of(), NOW);
    }

    private static RunObservation observed(JobState state) {
        return new RunObservation(state, Optional.empty(), Map.of(), null, 1, null);
    }

    private static EtlPipeline withCurrentRun(boolean suspend) {
        EtlPipeline pipeline = idle(suspend, "r-1");
        pipeline.getStatus().setCurrentRun(new CurrentRun(1, "p-1", "p-1", "r-1", "runRequest r-1", NOW.toString()));
        return pipeline;
    }

    /** A pipeline whose last handled run request is r-1. */
    private static EtlPipeline idle(boolean suspend, String runRequest) {
        EtlPipeline pipeline = new EtlPipeline();
        pipeline.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").withCreationTimestamp(NOW.toString()).build());
        EtlPipelineSpec spec = new EtlPipelineSpec();
        spec.setSuspend(suspend);
        spec.setRunRequest(runRequest);
        pipeline.setSpec(spec);
        EtlPipelineStatus status = new EtlPipelineStatus();
        status.setHandledRunRequest("r-1");
        pipeline.setStatus(status);
        return pipeline;
    }
}
