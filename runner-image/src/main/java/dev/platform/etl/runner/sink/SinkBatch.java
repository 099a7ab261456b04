package dev.platform.etl.runner.sink;

import java.util.List;

/**
 * One batch as the sink sees it: the transformed rows; when the target versions its documents,
 * each row's version taken from its cursor value (null otherwise); and when the pipeline has a
 * deleted column, whether each row was deleted in the source (null otherwise).
 */
public record SinkBatch(List<Object[]> rows, long[] versions, boolean[] deleted) {
    public boolean versioned() {
        return versions != null;
    }

    public boolean isDeleted(int row) {
        return deleted != null && deleted[row];
    }
}
