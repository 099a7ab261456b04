package dev.platform.etl.runner.sink;

import dev.platform.etl.api.validation.Violation;
import java.sql.Connection;
import java.util.List;

/** Where transformed rows go. Writes are upserts by a stable key, so a replayed batch is harmless. */
public interface Sink extends AutoCloseable {
    /**
     * Does a batch's CPU work (deduplication, encoding) and returns its write, ready to run. It is
     * called on the read-ahead thread while the previous batch is being written, so it neither does
     * I/O nor changes the sink.
     */
    Write prepare(SinkBatch batch);

    /**
     * Whether a batch commits in a database of its own rather than in the control transaction:
     * such a write must be fenced by holding the lease while it commits.
     */
    default boolean commitsApart() {
        return true;
    }

    /**
     * Whether the next batch's write may be sent before the previous one has been answered (two
     * in flight): for a target that takes concurrent requests on their own, in any order, such as
     * Elasticsearch's bulk API. Checkpoints still commit in order, each after its own and every
     * earlier write has succeeded.
     */
    default boolean takesTwoWritesInFlight() {
        return false;
    }

    /** Why the target cannot take the rows as they are (a column it lacks, say), found before the first batch. */
    default List<Violation> violations() {
        return List.of();
    }

    /**
     * Makes the target ready for the first batch (a table the pipeline may create, say). Called
     * once the lease is held and before {@link #prepare}; a transient failure calls it again.
     *
     * @param resuming the run continues a load from its checkpoint, rather than starting one
     * @return whether the run must start from the beginning instead: the target holds none of what
     *         earlier runs wrote (it was deleted and created again)
     */
    default boolean setUp(boolean resuming) throws Exception {
        return false;
    }

    /**
     * Finishes a completed full load inside the control transaction that records it (deleting
     * what the load did not read, say).
     *
     * @return the rows or documents it deleted
     */
    default long completeLoad(Connection controlTransaction) throws Exception {
        return 0;
    }

    /** A prepared batch write. A transient failure retries it whole, so it can run more than once. */
    @FunctionalInterface
    interface Write {
        /**
         * Writes the batch. A sink in the database that holds the control schema writes inside
         * {@code controlTransaction}, so the batch and its checkpoint commit together; any other
         * sink has written durably when this returns.
         */
        Written execute(Connection controlTransaction) throws Exception;
    }

    /**
     * What a write did.
     *
     * @param rows   the rows or documents it upserted
     * @param unsent its last statement, which it left for the round trip that records the checkpoint
     *               and commits, or null. Only a write inside the control transaction leaves one.
     */
    record Written(long rows, LastStatement unsent) {
        public static Written rows(long rows) {
            return new Written(rows, null);
        }
    }

    @Override
    void close();
}
