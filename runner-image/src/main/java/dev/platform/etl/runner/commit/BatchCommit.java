package dev.platform.etl.runner.commit;

import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.checkpoint.CheckpointJson;
import dev.platform.etl.runner.control.ControlSchema;
import dev.platform.etl.runner.control.RunCounters;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseLostException;
import dev.platform.etl.runner.sink.LastStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How a batch's progress is committed: in one round trip with the write's last statement, fenced
 * by the lease. It sits above both {@code lease} and {@code sink}, the two things it joins.
 */
public final class BatchCommit {
    /** The SQLSTATE that {@code etl.lease_lost} raises. */
    private static final String LEASE_LOST = "EL001";

    private BatchCommit() {
    }

    /**
     * Records a batch's progress in the caller's transaction and commits it, in one round trip: the
     * write's unsent last statement if any, the checkpoint (only while this runner's lease is
     * current: its token, unexpired) and the run's counters, then {@code COMMIT}. If any of them
     * fails, nothing commits, and the transaction is left for the caller to roll back.
     *
     * @param unsent the batch write's last statement, not sent yet; null if it sent everything
     * @return whether a pause has been requested
     * @throws LeaseLostException when the lease expired or was taken over
     */
    public static boolean commitProgress(Connection transaction, LastStatement unsent, Lease lease, Checkpoint checkpoint,
                                         RunCounters counters) throws SQLException {
        // the run row is updated only if the lease is current; etl.lease_lost raises LEASE_LOST otherwise
        try (PreparedStatement statement = transaction.prepareStatement((unsent == null ? "" : unsent.sql() + ";\n") + """
                WITH state AS (
                    UPDATE etl.pipeline_state SET %s = ?::jsonb, updated_at = now()
                     WHERE pipeline = ? AND lease_token = ? AND lease_holder = ? AND lease_expires_at > now()
                    RETURNING 1),
                run AS (
                    UPDATE etl.pipeline_run SET rows_read = ?, rows_written = ?, batches = ?, checkpoint = ?::jsonb
                     WHERE id = ? AND EXISTS (SELECT FROM state))
                SELECT CASE WHEN EXISTS (SELECT FROM state)
                            THEN coalesce((SELECT p.pause_requested FROM etl.pipeline_state p WHERE p.pipeline = ?), false)
                            ELSE etl.lease_lost(?, ?) END;
                COMMIT""".formatted(ControlSchema.checkpointColumn(lease.mode())))) {
            int next = unsent == null ? 1 : unsent.bind(statement);
            String json = CheckpointJson.write(checkpoint);
            statement.setString(next, json);
            statement.setString(next + 1, lease.pipeline());
            statement.setLong(next + 2, lease.token());
            statement.setString(next + 3, lease.holder());
            statement.setLong(next + 4, counters.rowsRead());
            statement.setLong(next + 5, counters.rowsWritten());
            statement.setLong(next + 6, counters.batches());
            statement.setString(next + 7, json);
            statement.setLong(next + 8, lease.runRow());
            statement.setString(next + 9, lease.pausedBy());
            statement.setString(next + 10, lease.pipeline());
            statement.setLong(next + 11, lease.token());
            if (!statement.execute()) {
                statement.getMoreResults();
            }
            try (ResultSet rs = statement.getResultSet()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            if (LEASE_LOST.equals(e.getSQLState())) {
                throw new LeaseLostException(lease.pipeline(), lease.token());
            }
            throw e;
        }
    }
}
