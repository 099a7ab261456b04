package dev.platform.etl.runner.run;

import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.sink.Sink;

/**
 * A batch ready to commit: transformed and encoded for the sink ahead of its turn.
 *
 * @param checkpoint its last row's checkpoint; null for a streamed read, which keeps none
 */
record ReadyBatch(int rowsRead, Checkpoint checkpoint, Sink.Write write) {
}
