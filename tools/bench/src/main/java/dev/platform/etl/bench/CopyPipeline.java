package dev.platform.etl.bench;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The ceilings of a client-side mover, both {@code COPY (query) TO STDOUT (FORMAT binary)} streamed
 * into a {@code COPY ... FROM STDIN}: into a staging table merged with one {@code INSERT ... ON
 * CONFLICT} (the staging pipeline, the limit of an upsert), or straight into the table (the direct
 * pipe, the physical limit of a load into an empty table).
 */
final class CopyPipeline {
    private CopyPipeline() {
    }

    static long move(Connection source, Connection target, String query, String table, String columns, String key, String updates)
            throws Exception {
        target.setAutoCommit(false);
        try (Statement statement = target.createStatement()) {
            statement.execute("CREATE TEMP TABLE staging (LIKE " + table + ") ON COMMIT DROP");
        }
        long rows = pipe(source, target, query, "staging", columns);
        try (Statement statement = target.createStatement()) {
            statement.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM staging"
                    + " ON CONFLICT (" + key + ") DO UPDATE SET " + updates);
        }
        target.commit();
        return rows;
    }

    /** The direct pipe: the query's rows copied straight into {@code table}, in one transaction. */
    static long direct(Connection source, Connection target, String query, String table, String columns) throws Exception {
        target.setAutoCommit(false);
        long rows = pipe(source, target, query, table, columns);
        target.commit();
        return rows;
    }

    private static long pipe(Connection source, Connection target, String query, String table, String columns) throws Exception {
        CopyManager out = source.unwrap(PGConnection.class).getCopyAPI();
        CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
        PipedInputStream pipeIn = new PipedInputStream(1 << 20);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        CompletableFuture<Long> reading = CompletableFuture.supplyAsync(() -> {
            try (pipeOut) {
                return out.copyOut("COPY (" + query + ") TO STDOUT (FORMAT binary)", pipeOut);
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e);
            }
        });
        in.copyIn("COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)", pipeIn);
        return reading.get();
    }
}
