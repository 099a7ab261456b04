package dev.platform.etl.runner.source;

import dev.platform.etl.runner.checkpoint.Checkpoint;
import java.util.List;

/** Rows as the reader produced them, and the checkpoint that follows their last row. */
public record SourceBatch(List<Object[]> rows, Checkpoint checkpoint) {
}
