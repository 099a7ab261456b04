package dev.platform.etl.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.spec.RunRetrySpec;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A failed run started again after a backoff that doubles, until spec.runRetry.limit is used up. */
class RunRetriesTest {
    private static final Instant FAILED_AT = Instant.parse("2026-01-01T10:00:00Z");
    private final RunRequests requests = new RunRequests();

    @Test
    void eachRetryWaitsTwiceAsLongUpToTheMaxBackoffThenTheRetriesAreUsedUp() throws Exception {
        EtlPipeline pipeline = failedTimes(1, 2);
        assertThat(RunRetries.nextAt(pipeline)).hasValue(FAILED_AT.plusSeconds(10));
        assertThat(RunRetries.usedUp(pipeline)).isFalse();

        pipeline.getStatus().setFailedAttempts(2);
        assertThat(RunRetries.nextAt(pipeline)).as("20 s, capped at 15 s").hasValue(FAILED_AT.plusSeconds(15));

        pipeline.getStatus().setFailedAttempts(3);
        assertThat(RunRetries.nextAt(pipeline)).isEmpty();
        assertThat(RunRetries.usedUp(pipeline)).isTrue();
    }

    @Test
    void aFailedRunIsRetriedOnlyOnceItsBackoffHasPassedAndAsTheRequestItContinues() throws Exception {
        EtlPipeline pipeline = failedTimes(1, 2);

        assertThat(requests.pending(pipeline, FAILED_AT.plusSeconds(9))).isEmpty();
        assertThat(requests.pending(pipeline, FAILED_AT.plusSeconds(10))).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("retry 1 of 2 after run p-1-x failed");
            assertThat(r.newRequest()).as("its failures keep counting").isFalse();
            assertThat(r.runRequest()).isEqualTo("r-1");
        });
        pipeline.getSpec().setRunRequest("r-2");
        assertThat(requests.pending(pipeline, FAILED_AT.plusSeconds(10))).as("a new request comes first, with a count of its own")
                .hasValueSatisfying(r -> assertThat(r.newRequest()).isTrue());
    }

    @Test
    void withoutALimitOrAfterASuccessNothingIsRetriedAndNothingIsUsedUp() throws Exception {
        EtlPipeline noLimit = failedTimes(1, 0);
        assertThat(RunRetries.nextAt(noLimit)).isEmpty();
        assertThat(RunRetries.usedUp(noLimit)).isFalse();
        assertThat(requests.pending(noLimit, FAILED_AT.plusSeconds(3600))).isEmpty();

        EtlPipeline succeeded = failedTimes(1, 2);
        succeeded.getStatus().getLastRun().setResult(RunResult.SUCCEEDED);
        assertThat(RunRetries.nextAt(succeeded)).isEmpty();
        assertThat(RunRetries.usedUp(succeeded)).isFalse();
    }

    private static EtlPipeline failedTimes(int failedAttempts, int limit) throws Exception {
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(DemoPipelines.filmDim("p").tieBreaker("id").runRequest("r-1").yaml());
        RunRetrySpec retry = new RunRetrySpec();
        retry.setLimit(limit);
        retry.setBackoff("10s");
        retry.setMaxBackoff("15s");
        pipeline.getSpec().setRunRetry(retry);
        pipeline.getMetadata().setCreationTimestamp(FAILED_AT.minusSeconds(60).toString());
        EtlPipelineStatus status = new EtlPipelineStatus();
        status.setHandledRunRequest("r-1");
        LastRun last = new LastRun();
        last.setRunId("p-1-x");
        last.setResult(RunResult.FAILED);
        last.setFinishedAt(FAILED_AT.toString());
        status.setLastRun(last);
        status.setFailedAttempts(failedAttempts);
        pipeline.setStatus(status);
        return pipeline;
    }
}
