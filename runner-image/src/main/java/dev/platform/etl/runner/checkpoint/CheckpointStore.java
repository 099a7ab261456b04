package dev.platform.etl.runner.checkpoint;

import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.control.RunCounters;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Where a pipeline's checkpoint is kept ({@code etl.pipeline_state}), and how a batch's progress is committed. */
public final class CheckpointStore {
    /** The SQLSTATE that {@code etl.lease_lost} raises. */
    private static final String LEASE_LOST = "EL001";

    private CheckpointStore() {
    }

    /**
     * Each mode keeps its checkpoint in a column of its own: a Full run (say, a reload) neither
     * overwrites nor clears the checkpoint of the pipeline's Incremental runs.
     */
    public static String column(Mode mode) {
        return mode == Mode.Full ? "full_load_checkpoint" : "checkpoint";
    }

    /**
     * Records a batch's progress in the caller's transaction and commits it, in one round trip: the
     * checkpoint (only while this runner's lease is current: its token, unexpired) and the run's
     * counters, then {@code COMMIT}. On a lost lease the statement fails before the commit, and the
     * transaction is left for the caller to roll back.
     *
     * @return whether a pause has been requested
     * @throws LeaseLostException when the lease expired or was taken over
     */
    public static boolean commitProgress(Connection transaction, Lease lease, Checkpoint checkpoint, RunCounters counters)
            throws SQLException {
        // the run row is updated only if the lease is current; etl.lease_lost raises LEASE_LOST otherwise
        try (PreparedStatement statement = transaction.prepareStatement("""
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
                COMMIT""".formatted(column(lease.mode())))) {
            String json = CheckpointJson.write(checkpoint);
            statement.setString(1, json);
            statement.setString(2, lease.pipeline());
            statement.setLong(3, lease.token());
            statement.setString(4, lease.holder());
            statement.setLong(5, counters.rowsRead());
            statement.setLong(6, counters.rowsWritten());
            statement.setLong(7, counters.batches());
            statement.setString(8, json);
            statement.setLong(9, lease.runRow());
            statement.setString(10, lease.pausedBy());
            statement.setString(11, lease.pipeline());
            statement.setLong(12, lease.token());
            statement.execute();
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
