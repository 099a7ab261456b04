package dev.platform.etl.runner.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * The upper bound of an incremental read, so that late commits are never lost.
 *
 * <p>A transaction that is still open may later commit rows whose cursor (set from the database
 * clock, {@code now()}) is its start time, below a checkpoint we would otherwise pass. So each
 * run reads only rows whose cursor is below the start of the oldest transaction open in the
 * source database, or below the current time when none is. The bound is taken before the pages'
 * snapshots: every row below it was committed (or never will be) by the time a page is read, and
 * any later transaction writes cursor values at or above it. Rows above the bound are read by a
 * later run, never skipped.
 *
 * <p>Seeing other sessions' transactions needs superuser or membership in
 * {@code pg_read_all_stats}; without it, {@code spec.incremental.lag} gives a fixed delay instead.
 */
public final class Horizon {
    /** Cursor types whose values come from the database clock; other cursors are not bounded. */
    public static final Set<String> CLOCK_TYPES = Set.of("timestamptz", "timestamp");

    private Horizon() {
    }

    public static OffsetDateTime compute(PostgresSource source, Duration lag) throws SQLException {
        try (Connection connection = source.readOnlyTransaction()) {
            OffsetDateTime horizon = lag != null ? clockMinus(connection, lag) : oldestOpenTransaction(connection);
            connection.commit();
            return horizon;
        }
    }

    private static OffsetDateTime clockMinus(Connection connection, Duration lag) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp() - ?::interval")) {
            statement.setString(1, lag.toMillis() + " milliseconds");
            return single(statement);
        }
    }

    private static OffsetDateTime oldestOpenTransaction(Connection connection) throws SQLException {
        if (!canSeeOtherSessions(connection)) {
            throw new HorizonUnavailableException();
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT least(clock_timestamp(), min(xact_start))
                  FROM pg_stat_activity
                 WHERE datname = current_database()
                   AND pid <> pg_backend_pid()
                   AND backend_type = 'client backend'
                   AND xact_start IS NOT NULL""")) {
            return single(statement);
        }
    }

    private static boolean canSeeOtherSessions(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')
                  FROM pg_roles WHERE rolname = current_user""");
             ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static OffsetDateTime single(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    /** The source role cannot see other sessions' transactions, and no lag was given. */
    public static final class HorizonUnavailableException extends SQLException {
        HorizonUnavailableException() {
            super("incremental reads bound each run by the oldest open transaction of the source, which this role "
                    + "cannot see: GRANT pg_read_all_stats TO the source role, or set spec.incremental.lag", "42501");
        }
    }
}
