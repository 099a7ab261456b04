package dev.platform.etl.runner.range;

import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.checkpoint.Checkpoint;

/**
 * Where one range of a parallel full load lies on the tie-breaker, in the column's text form.
 *
 * @param lower the range holds tie-breakers above this one; null: from the first row
 * @param upper and up to this one, inclusive; null: to the last row
 * @param done  the range was read to its end in the current load (or the load is complete)
 */
public record RangeBounds(String lower, String upper, boolean done) {

    /** Where the range's first page starts when it has no checkpoint of its own: after its lower bound. */
    public Checkpoint start() {
        return lower == null ? null : new Checkpoint(Mode.Full, null, lower);
    }
}
