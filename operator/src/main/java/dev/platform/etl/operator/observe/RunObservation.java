package dev.platform.etl.operator.observe;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * What the operator sees of one run.
 *
 * @param summary the runner's summary from the latest finished pod, if any
 * @param detail  the Job's own reason when it failed (e.g. BackoffLimitExceeded)
 */
public record RunObservation(JobState state, Job job, Optional<RunnerSummary> summary, String detail) {
    public static RunObservation missing() {
        return new RunObservation(JobState.MISSING, null, Optional.empty(), null);
    }
}
