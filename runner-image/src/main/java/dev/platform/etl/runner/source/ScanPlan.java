package dev.platform.etl.runner.source;

import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * How to read the source in one run.
 *
 * @param keyColumns  the keyset: (cursor, tie-breaker) for Incremental, (tie-breaker) for a
 *                    resumable Full load, empty for one streamed statement
 * @param keyIndexes  their positions in the reader's output
 * @param start       read rows after this checkpoint, or from the beginning when null
 * @param horizon     only rows whose cursor is below this instant, or unbounded when null
 * @param upperBound  only rows whose tie-breaker is at most this value (the end of a range of a
 *                    parallel full load), or unbounded when null
 */
public record ScanPlan(Mode mode, List<String> keyColumns, int[] keyIndexes, Checkpoint start, OffsetDateTime horizon,
                       String upperBound) {

    public boolean keyset() {
        return !keyColumns.isEmpty();
    }

    /** The checkpoint after a row: its keyset values, in the columns' lossless text form. */
    public Checkpoint checkpointAfter(Object[] row) {
        String[] values = new String[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            Object value = row[keyIndexes[i]];
            if (value == null) {
                throw new IllegalStateException("the reader returned NULL in keyset column '" + keyColumns.get(i)
                        + "': cursor and tie-breaker columns must never be NULL");
            }
            values[i] = Values.toText(value);
        }
        return mode == Mode.Incremental
                ? new Checkpoint(mode, values[0], values[1])
                : new Checkpoint(mode, null, values[0]);
    }

    /** A checkpoint's keyset values, in key order. */
    List<String> keyValuesOf(Checkpoint checkpoint) {
        return mode == Mode.Incremental
                ? List.of(checkpoint.cursor(), checkpoint.tieBreaker())
                : List.of(checkpoint.tieBreaker());
    }
}
