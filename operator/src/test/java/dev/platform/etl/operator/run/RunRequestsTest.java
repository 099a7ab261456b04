package dev.platform.etl.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a pipeline wants a run: a new runRequest, a schedule tick not yet handled, or a paused run to resume. */
class RunRequestsTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T10:00:30Z");
    private final RunRequests requests = new RunRequests();

    @Test
    void aNewRunRequestValueAsksForOneRun() throws Exception {
        EtlPipeline pipeline = pipeline("r-1", null);

        assertThat(requests.pending(pipeline, CREATED)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("runRequest r-1");
            assertThat(r.runRequest()).isEqualTo("r-1");
        });
        pipeline.getStatus().setHandledRunRequest("r-1");
        assertThat(requests.pending(pipeline, CREATED)).isEmpty();
    }

    @Test
    void anEmptyRunRequestAsksForNothing() throws Exception {
        assertThat(requests.pending(pipeline("", null), CREATED)).isEmpty();
    }

    @Test
    void aScheduleTickAsksForOneRunUntilItIsHandled() throws Exception {
        EtlPipeline pipeline = pipeline(null, "*/10 * * * *");

        assertThat(requests.pending(pipeline, Instant.parse("2026-01-01T10:05:00Z"))).as("no tick since creation").isEmpty();
        Instant afterTwoTicks = Instant.parse("2026-01-01T10:25:00Z");
        assertThat(requests.pending(pipeline, afterTwoTicks)).as("ticks missed during a run give one run")
                .hasValueSatisfying(r -> assertThat(r.scheduleTick()).isEqualTo(Instant.parse("2026-01-01T10:20:00Z")));
        pipeline.getStatus().setLastScheduledTime("2026-01-01T10:20:00Z");
        assertThat(requests.pending(pipeline, afterTwoTicks)).isEmpty();
        assertThat(requests.nextTick(pipeline, afterTwoTicks)).hasValue(Instant.parse("2026-01-01T10:30:00Z"));
    }

    @Test
    void aPausedRunIsResumed() throws Exception {
        EtlPipeline pipeline = pipeline(null, null);
        LastRun paused = new LastRun();
        paused.setResult(RunResult.PAUSED);
        pipeline.getStatus().setLastRun(paused);

        assertThat(requests.pending(pipeline, CREATED)).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("resume after pause"));
    }

    @Test
    void aScheduleIsReadInItsTimeZoneAcrossDaylightSavingTime() throws Exception {
        EtlPipeline pipeline = pipeline(null, "0 2 * * *");
        pipeline.getSpec().setTimeZone("Europe/Berlin");

        assertThat(requests.nextTick(pipeline, CREATED)).as("CET is UTC+1").hasValue(Instant.parse("2026-01-02T01:00:00Z"));
        assertThat(requests.nextTick(pipeline, Instant.parse("2026-07-01T12:00:00Z"))).as("CEST is UTC+2")
                .hasValue(Instant.parse("2026-07-02T00:00:00Z"));
    }

    @Test
    void aTickPastItsStartingDeadlineIsMissedNotRun() throws Exception {
        EtlPipeline pipeline = pipeline(null, "*/10 * * * *");
        pipeline.getSpec().setStartingDeadlineSeconds(60L);

        Instant inTime = Instant.parse("2026-01-01T10:11:00Z");
        assertThat(requests.pending(pipeline, inTime)).hasValueSatisfying(r -> assertThat(r.scheduleTick()).isEqualTo(Instant.parse("2026-01-01T10:10:00Z")));
        assertThat(requests.missedTick(pipeline, inTime)).isEmpty();

        Instant late = Instant.parse("2026-01-01T10:11:01Z");
        assertThat(requests.pending(pipeline, late)).isEmpty();
        assertThat(requests.missedTick(pipeline, late)).hasValue(Instant.parse("2026-01-01T10:10:00Z"));
        pipeline.getStatus().setLastScheduledTime("2026-01-01T10:10:00Z");
        assertThat(requests.missedTick(pipeline, late)).as("recorded as handled").isEmpty();
    }

    @Test
    void aScheduleThatIsNotCronAndAZoneThatIsNotIanaAreViolationsNamingTheirFields() throws Exception {
        EtlPipeline pipeline = pipeline(null, "every ten minutes");
        pipeline.getSpec().setTimeZone("Mars/Olympus_Mons");

        assertThat(RunRequests.checkSchedule(pipeline.getSpec())).extracting(v -> v.field()).containsExactly("spec.schedule", "spec.timeZone");
        pipeline.getSpec().setSchedule("*/10 * * * *");
        pipeline.getSpec().setTimeZone("Asia/Kolkata");
        assertThat(RunRequests.checkSchedule(pipeline.getSpec())).isEmpty();
    }

    private static EtlPipeline pipeline(String runRequest, String schedule) throws Exception {
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(DemoPipelines.filmDim("p").tieBreaker("id").batchSize(10).runRequest("x").yaml());
        pipeline.getSpec().setRunRequest(runRequest);
        pipeline.getSpec().setSchedule(schedule);
        pipeline.getMetadata().setCreationTimestamp(CREATED.toString());
        pipeline.setStatus(new EtlPipelineStatus());
        return pipeline;
    }
}
