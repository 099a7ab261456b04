package dev.platform.etl.runner.lease;

import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.control.RunCounters;

/**
 * The right to run one pipeline, held by one runner. Every commit of progress is conditional on
 * {@code token} (a fencing token that grows with every claim), so a runner whose lease was taken
 * over cannot commit anything.
 *
 * @param pipeline    the key of the state row it holds: the pipeline's {@code namespace/name}, or
 *                    {@code namespace/name#index} for one range of a parallel full load
 * @param pausedBy    the key of the state row whose {@code pause_requested} this run obeys: the
 *                    pipeline's own, for each of its ranges too
 * @param runRow      id of this attempt's {@code etl.pipeline_run} row
 * @param mode        the run's mode, whose own checkpoint this run reads and writes
 * @param checkpoint  that mode's checkpoint when the lease was claimed, or null
 * @param pauseRequested whether a pause was already requested when the lease was claimed
 * @param earlier     what the run's earlier attempts (same run id) committed, which its counters include
 */
public record Lease(String pipeline, String pausedBy, String holder, long token, long runRow, Mode mode, Checkpoint checkpoint, boolean pauseRequested,
                    RunCounters earlier) {
}
