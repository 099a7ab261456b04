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
 * The ceiling of a client-side mover: {@code COPY (query) TO STDOUT} streamed straight into
 * {@code COPY staging FROM STDIN}, then one {@code INSERT ... ON CONFLICT} from the staging table.
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
        in.copyIn("COPY staging (" + columns + ") FROM STDIN (FORMAT binary)", pipeIn);
        long rows = reading.get();
        try (Statement statement = target.createStatement()) {
            statement.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM staging"
                    + " ON CONFLICT (" + key + ") DO UPDATE SET " + updates);
        }
        target.commit();
        return rows;
    }
}
