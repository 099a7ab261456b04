package dev.platform.etl.testkit.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A closed gate in the database: an advisory lock the test holds on a connection of its own.
 * Whatever passes {@link #passSql} (a trigger, a function in a reader query) waits there, in the
 * middle of its transaction, until the test {@link #open() opens} the gate: two processes meet
 * exactly where the test wants them, without a sleep and a hope.
 */
public final class Gate implements AutoCloseable {
    private final TestDatabase database;
    private final long key;
    private final Connection holder;

    Gate(TestDatabase database, long key) throws SQLException {
        this.database = database;
        this.key = key;
        this.holder = database.connect();
        try (Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + key + ")");
        }
    }

    /** PL/pgSQL that waits at gate {@code key} while it is closed and passes at once when it is open. */
    public static String passSql(long key) {
        return "PERFORM pg_advisory_lock(%1$d); PERFORM pg_advisory_unlock(%1$d);".formatted(key);
    }

    /** Whether some session waits at the gate. */
    public boolean hasWaiter() throws SQLException {
        return database.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = " + key + " AND NOT granted") > 0;
    }

    /** Lets everything waiting, and everything after, pass. */
    public void open() throws SQLException {
        try (Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + key + ")");
        }
    }

    @Override
    public void close() throws SQLException {
        holder.close();
    }
}
