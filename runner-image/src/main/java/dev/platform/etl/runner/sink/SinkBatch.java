package dev.platform.etl.runner.sink;

import java.util.List;

/**
 * One batch as the sink sees it: the transformed rows and, when the target versions its
 * documents, each row's version taken from its cursor value (null otherwise).
 */
public record SinkBatch(List<Object[]> rows, long[] versions) {
    public boolean versioned() {
        return versions != null;
    }
}
