package dev.platform.etl.operator.run;

import dev.platform.etl.api.Durations;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.spec.RunRetrySpec;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a FAILED run is started again ({@code spec.runRetry}): after its backoff, doubled with each
 * failure of the same request, while the failures are at most the limit. Past the limit the
 * retries are used up, and the pipeline waits for a new request.
 */
public final class RunRetries {
    /** Beyond this many doublings every backoff is past any maxBackoff a Duration can hold. */
    private static final int MAX_DOUBLINGS = 30;

    private RunRetries() {
    }

    /** When the last run's retry is due, if it has one: it FAILED and its request has retries left. */
    public static Optional<Instant> nextAt(EtlPipeline pipeline) {
        RunRetrySpec retry = pipeline.getSpec().getRunRetry();
        int failed = failedAttempts(pipeline.getStatus());
        if (!lastRunFailed(pipeline.getStatus()) || failed < 1 || failed > retry.getLimit()) {
            return Optional.empty();
        }
        Duration backoff = Durations.parse(retry.getBackoff()).multipliedBy(1L << Math.min(failed - 1, MAX_DOUBLINGS));
        Duration max = Durations.parse(retry.getMaxBackoff());
        return Optional.of(Instant.parse(pipeline.getStatus().getLastRun().getFinishedAt()).plus(backoff.compareTo(max) > 0 ? max : backoff));
    }

    /** The last run FAILED once more than spec.runRetry.limit allows: no retry follows. */
    public static boolean usedUp(EtlPipeline pipeline) {
        int limit = pipeline.getSpec().getRunRetry().getLimit() == null ? 0 : pipeline.getSpec().getRunRetry().getLimit();
        return limit > 0 && lastRunFailed(pipeline.getStatus()) && failedAttempts(pipeline.getStatus()) > limit;
    }

    private static boolean lastRunFailed(EtlPipelineStatus status) {
        return status.getLastRun() != null && status.getLastRun().getResult() == RunResult.FAILED;
    }

    private static int failedAttempts(EtlPipelineStatus status) {
        return status.getFailedAttempts() == null ? 0 : status.getFailedAttempts();
    }
}
