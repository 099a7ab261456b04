package dev.platform.etl.runner.sink;

import java.sql.Connection;

/** Where transformed rows go. Writes are upserts by a stable key, so a replayed batch is harmless. */
public interface Sink extends AutoCloseable {
    /**
     * Writes one batch and returns how many rows it upserted. A sink in the database that holds
     * the control schema writes inside {@code controlTransaction}, so the batch and its checkpoint
     * commit together; any other sink has written durably when this returns.
     */
    long write(SinkBatch batch, Connection controlTransaction) throws Exception;

    @Override
    void close();
}
