package dev.platform.etl.runner.control;

import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.checkpoint.CheckpointJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The rows of {@code etl.pipeline_run}: one per attempt, written in the caller's transaction. */
public final class RunRows {
    private RunRows() {
    }

    /** @return the new row's id */
    public static long insert(Connection connection, String runId, String pipeline, String holder, Long token,
                              RunStatus status, String error) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO etl.pipeline_run (run_id, pipeline, status, holder, lease_token, error, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN NULL ELSE now() END)
                RETURNING id""")) {
            statement.setString(1, runId);
            statement.setString(2, pipeline);
            statement.setString(3, status.name());
            statement.setString(4, holder);
            statement.setObject(5, token);
            statement.setString(6, error);
            statement.setBoolean(7, status == RunStatus.RUNNING);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * What the run's earlier attempts committed: its other rows for the same key, a run paused and
     * resumed, or whose pod was replaced, having one row per attempt. A run's counters are their sum.
     */
    public static RunCounters earlierAttempts(Connection connection, String pipeline, String runId, long row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT coalesce(sum(rows_read), 0), coalesce(sum(rows_written), 0), coalesce(sum(batches), 0)
                  FROM etl.pipeline_run WHERE pipeline = ? AND run_id = ? AND id <> ?""")) {
            statement.setString(1, pipeline);
            statement.setString(2, runId);
            statement.setLong(3, row);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new RunCounters(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /** The rows of a runner that died holding the lease: they will never finish. */
    public static void abandonRunning(Connection connection, String pipeline) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE etl.pipeline_run
                   SET status = 'ABANDONED', finished_at = now(),
                       error = coalesce(error, 'the runner stopped without finishing; its lease expired')
                 WHERE pipeline = ? AND status = 'RUNNING'""")) {
            statement.setString(1, pipeline);
            statement.executeUpdate();
        }
    }

    public static void update(Connection connection, long row, RunStatus status, RunCounters counters,
                              Checkpoint checkpoint, String error) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE etl.pipeline_run
                   SET status = ?, rows_read = ?, rows_written = ?, batches = ?, checkpoint = ?::jsonb, error = ?,
                       finished_at = CASE WHEN ? THEN NULL ELSE now() END
                 WHERE id = ?""")) {
            statement.setString(1, status.name());
            statement.setLong(2, counters.rowsRead());
            statement.setLong(3, counters.rowsWritten());
            statement.setLong(4, counters.batches());
            statement.setString(5, CheckpointJson.write(checkpoint));
            statement.setString(6, error);
            statement.setBoolean(7, status == RunStatus.RUNNING);
            statement.setLong(8, row);
            statement.executeUpdate();
        }
    }

    /** A run that failed before it could take the lease (for example, its reader query is wrong). */
    public static void recordFailed(ControlDatabase control, String pipeline, String runId, String holder, String error) throws Exception {
        control.inTransaction(connection -> insert(connection, runId, pipeline, holder, null, RunStatus.FAILED, error));
    }
}
