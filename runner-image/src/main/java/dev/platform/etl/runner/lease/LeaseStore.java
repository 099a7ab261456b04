package dev.platform.etl.runner.lease;

import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.checkpoint.CheckpointJson;
import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.ControlSchema;
import dev.platform.etl.runner.control.RunCounters;
import dev.platform.etl.runner.control.RunRows;
import dev.platform.etl.runner.control.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The lease on a pipeline ({@code etl.pipeline_state}): claimed by one runner at a time, renewed
 * by its heartbeat, held locked while a batch commits outside the control database, released at
 * the end. Its token grows with every claim and fences every write of progress.
 */
public final class LeaseStore {
    /** How long a claim waits for a lease row that a holder keeps locked while it writes a batch. */
    private static final Duration CLAIM_LOCK_TIMEOUT = Duration.ofSeconds(2);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String HELD = "the pipeline is running elsewhere (lease held)";

    private final ControlDatabase control;

    public LeaseStore(ControlDatabase control) {
        this.control = control;
    }

    /**
     * Claims the pipeline's lease in one statement, if nobody holds it or its holder's lease has
     * expired. On success, in the same transaction, the dead holder's {@code RUNNING} rows become
     * {@code ABANDONED} and this attempt's {@code RUNNING} row is written. Otherwise a
     * {@code SKIPPED} row is written and the result is empty.
     *
     * @param pipeline the state row to claim ({@link Lease#pipeline})
     * @param pausedBy the state row whose pause flag the run obeys ({@link Lease#pausedBy})
     */
    public Optional<Lease> claim(String pipeline, String pausedBy, String holder, String runId, Duration ttl, Mode mode) throws Exception {
        try {
            return control.inTransaction(connection -> {
                Optional<Lease> claimed = claimRow(connection, pipeline, pausedBy, holder, ttl, mode);
                if (claimed.isEmpty()) {
                    RunRows.insert(connection, runId, pipeline, holder, null, RunStatus.SKIPPED, HELD);
                    return Optional.empty();
                }
                Lease lease = claimed.get();
                RunRows.abandonRunning(connection, pipeline);
                long row = RunRows.insert(connection, runId, pipeline, holder, lease.token(), RunStatus.RUNNING, null);
                return Optional.of(new Lease(pipeline, pausedBy, holder, lease.token(), row, mode, lease.checkpoint(), lease.pauseRequested(),
                        RunRows.earlierAttempts(connection, pipeline, runId, row)));
            });
        } catch (SQLException e) {
            if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw e;
            }
            // the holder is writing a batch, or stopped in the middle of one, with the row locked
            control.inTransaction(connection -> RunRows.insert(connection, runId, pipeline, holder, null, RunStatus.SKIPPED,
                    HELD + ", in the middle of a batch"));
            return Optional.empty();
        }
    }

    private static Optional<Lease> claimRow(Connection connection, String pipeline, String pausedBy, String holder, Duration ttl,
                                            Mode mode) throws SQLException {
        String sql = """
                INSERT INTO etl.pipeline_state AS s (pipeline, lease_holder, lease_token, lease_expires_at, updated_at)
                VALUES (?, ?, 1, now() + ?::interval, now())
                ON CONFLICT (pipeline) DO UPDATE
                   SET lease_holder = EXCLUDED.lease_holder,
                       lease_token = s.lease_token + 1,
                       lease_expires_at = EXCLUDED.lease_expires_at,
                       updated_at = now()
                 WHERE s.lease_holder IS NULL OR s.lease_expires_at < now()
                RETURNING lease_token, %s::text,
                          coalesce((SELECT p.pause_requested FROM etl.pipeline_state p WHERE p.pipeline = ?), false)"""
                .formatted(ControlSchema.checkpointColumn(mode));
        try (Statement timeout = connection.createStatement()) {
            // a holder frozen with the row locked must not hold every claimer up with it
            timeout.execute("SET LOCAL lock_timeout = " + CLAIM_LOCK_TIMEOUT.toMillis());
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, pipeline);
            statement.setString(2, holder);
            statement.setString(3, ttl.toMillis() + " milliseconds");
            statement.setString(4, pausedBy);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(pipeline, pausedBy, holder, rs.getLong(1), 0, mode, CheckpointJson.read(rs.getString(2)),
                        rs.getBoolean(3), RunCounters.ZERO));
            }
        }
    }

    /**
     * Extends the lease; false when it is no longer ours. An expired lease is lost even if nobody
     * has claimed it yet: another runner may be claiming it right now.
     */
    public boolean renew(Lease lease, Duration ttl) throws Exception {
        return control.inTransaction(connection -> extend(connection, lease, ttl));
    }

    /**
     * Renews the lease in the caller's transaction and keeps its row locked until that transaction
     * ends, if this runner's lease is still current; meanwhile nobody can claim it, and the
     * heartbeat, which waits for the lock, has nothing to add. A batch written to a database other
     * than the control one commits while this lock is held, so a runner that has lost its lease
     * never writes after a newer one.
     *
     * @throws LeaseLostException when the lease expired or was taken over
     */
    public static void hold(Connection transaction, Lease lease, Duration ttl) throws SQLException {
        if (!extend(transaction, lease, ttl)) {
            throw new LeaseLostException(lease.pipeline(), lease.token());
        }
    }

    private static boolean extend(Connection transaction, Lease lease, Duration ttl) throws SQLException {
        try (PreparedStatement statement = transaction.prepareStatement("""
                UPDATE etl.pipeline_state SET lease_expires_at = now() + ?::interval
                 WHERE pipeline = ? AND lease_token = ? AND lease_holder = ? AND lease_expires_at > now()""")) {
            statement.setString(1, ttl.toMillis() + " milliseconds");
            statement.setString(2, lease.pipeline());
            statement.setLong(3, lease.token());
            statement.setString(4, lease.holder());
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Ends the run in the caller's transaction: its row gets its final status and counters and the
     * lease is released, both only if this runner still holds it. A completed full load also clears
     * its checkpoint.
     */
    public static void release(Connection connection, Lease lease, RunStatus status, RunCounters counters, Checkpoint checkpoint,
                               String error, boolean clearCheckpoint) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE etl.pipeline_state
                   SET lease_holder = NULL, lease_expires_at = NULL, updated_at = now(),
                       %1$s = CASE WHEN ? THEN NULL ELSE %1$s END
                 WHERE pipeline = ? AND lease_token = ? AND lease_holder = ?""".formatted(ControlSchema.checkpointColumn(lease.mode())))) {
            statement.setBoolean(1, clearCheckpoint);
            statement.setString(2, lease.pipeline());
            statement.setLong(3, lease.token());
            statement.setString(4, lease.holder());
            if (statement.executeUpdate() == 0 && status != RunStatus.FAILED) {
                throw new LeaseLostException(lease.pipeline(), lease.token());
            }
        }
        RunRows.update(connection, lease.runRow(), status, counters, checkpoint, error);
    }
}
