package dev.platform.etl.operator.observe;

import java.util.Map;
import java.util.Optional;

/**
 * What the operator sees of one run.
 *
 * @param summary the runner's summary from the latest finished pod, if any; for a run of several
 *                ranges, their summaries combined
 * @param ranges  for a run of several ranges, each range whose latest pod has ended, by index
 * @param detail  the Job's own reason when it failed (e.g. BackoffLimitExceeded)
 * @param pods    how many pods the run's Job has now
 * @param stuckPod why the run's pod cannot start, as the kubelet says it ({@link JobState#POD_CANNOT_START})
 */
public record RunObservation(JobState state, Optional<RunnerSummary> summary, Map<Integer, RunnerSummary> ranges, String detail, int pods,
                             String stuckPod) {
    public static RunObservation missing() {
        return new RunObservation(JobState.MISSING, Optional.empty(), Map.of(), null, 0, null);
    }

    /** A run whose Job was just created. */
    public static RunObservation started() {
        return new RunObservation(JobState.ACTIVE, Optional.empty(), Map.of(), null, 0, null);
    }
}
