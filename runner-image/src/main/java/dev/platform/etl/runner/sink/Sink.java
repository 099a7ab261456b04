package dev.platform.etl.runner.sink;

import java.sql.Connection;
import java.util.List;

/** Where transformed rows go. Writes are upserts by a stable key, so a replayed batch is harmless. */
public interface Sink extends AutoCloseable {
    /**
     * Writes one batch and returns how many rows it upserted. A sink in the database that holds
     * the control schema writes inside {@code controlTransaction}, so the batch and its checkpoint
     * commit together; any other sink has written durably when this returns.
     */
    long write(List<Object[]> rows, Connection controlTransaction) throws Exception;

    @Override
    void close();
}
