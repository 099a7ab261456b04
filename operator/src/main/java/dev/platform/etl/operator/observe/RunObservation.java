package dev.platform.etl.operator.observe;

import java.util.Optional;

/**
 * What the operator sees of one run.
 *
 * @param summary the runner's summary from the latest finished pod, if any
 * @param detail  the Job's own reason when it failed (e.g. BackoffLimitExceeded)
 * @param pods    how many pods the run's Job has now
 */
public record RunObservation(JobState state, Optional<RunnerSummary> summary, String detail, int pods) {
    public static RunObservation missing() {
        return new RunObservation(JobState.MISSING, Optional.empty(), null, 0);
    }
}
