package dev.platform.etl.runner.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one place that reads and writes the control schema {@code etl}: the lease, the checkpoint,
 * the pause flag and the run rows.
 */
public final class ControlStore {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final DataSource dataSource;

    public ControlStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws Exception;
    }

    /** Runs the work in one transaction of the control database: all of it commits, or none. */
    public <T> T inTransaction(TransactionWork<T> work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception | Error e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * Claims the pipeline's lease in one statement, if nobody holds it or its holder's lease has
     * expired. On success, in the same transaction, the dead holder's {@code RUNNING} rows become
     * {@code ABANDONED} and this attempt's {@code RUNNING} row is written. Otherwise a
     * {@code SKIPPED} row is written and the result is empty.
     */
    public Optional<Lease> claim(String pipeline, String holder, String runId, Duration ttl, Mode mode) throws Exception {
        return inTransaction(connection -> {
            Optional<Lease> claimed = claimLease(connection, pipeline, holder, ttl, mode);
            if (claimed.isEmpty()) {
                insertRun(connection, runId, pipeline, holder, null, RunStatus.SKIPPED,
                        "the pipeline is running elsewhere (lease held)");
                return Optional.empty();
            }
            Lease lease = claimed.get();
            abandonRunningRows(connection, pipeline);
            long row = insertRun(connection, runId, pipeline, holder, lease.token(), RunStatus.RUNNING, null);
            return Optional.of(new Lease(pipeline, holder, lease.token(), row, mode, lease.checkpoint(), lease.pauseRequested()));
        });
    }

    /**
     * Each mode keeps its checkpoint in a column of its own: a Full run (say, a reload) neither
     * overwrites nor clears the checkpoint of the pipeline's Incremental runs.
     */
    private static String checkpointColumn(Mode mode) {
        return mode == Mode.Full ? "full_load_checkpoint" : "checkpoint";
    }

    private Optional<Lease> claimLease(Connection connection, String pipeline, String holder, Duration ttl, Mode mode) throws SQLException {
        String sql = """
                INSERT INTO etl.pipeline_state AS s (pipeline, lease_holder, lease_token, lease_expires_at, updated_at)
                VALUES (?, ?, 1, now() + ?::interval, now())
                ON CONFLICT (pipeline) DO UPDATE
                   SET lease_holder = EXCLUDED.lease_holder,
                       lease_token = s.lease_token + 1,
                       lease_expires_at = EXCLUDED.lease_expires_at,
                       updated_at = now()
                 WHERE s.lease_holder IS NULL OR s.lease_expires_at < now()
                RETURNING lease_token, %s::text, pause_requested""".formatted(checkpointColumn(mode));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, pipeline);
            statement.setString(2, holder);
            statement.setString(3, ttl.toMillis() + " milliseconds");
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(pipeline, holder, rs.getLong(1), 0, mode, readCheckpoint(rs.getString(2)), rs.getBoolean(3)));
            }
        }
    }

    private static void abandonRunningRows(Connection connection, String pipeline) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE etl.pipeline_run
                   SET status = 'ABANDONED', finished_at = now(),
                       error = coalesce(error, 'the runner stopped without finishing; its lease expired')
                 WHERE pipeline = ? AND status = 'RUNNING'""")) {
            statement.setString(1, pipeline);
            statement.executeUpdate();
        }
    }

    private static long insertRun(Connection connection, String runId, String pipeline, String holder, Long token,
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
     * Extends the lease; false when it is no longer ours. An expired lease is lost even if nobody
     * has claimed it yet: another runner may be claiming it right now.
     */
    public boolean renew(Lease lease, Duration ttl) throws Exception {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE etl.pipeline_state SET lease_expires_at = now() + ?::interval
                     WHERE pipeline = ? AND lease_token = ? AND lease_holder = ? AND lease_expires_at > now()""")) {
                statement.setString(1, ttl.toMillis() + " milliseconds");
                statement.setString(2, lease.pipeline());
                statement.setLong(3, lease.token());
                statement.setString(4, lease.holder());
                return statement.executeUpdate() == 1;
            }
        });
    }

    /**
     * Locks the pipeline's state row in the caller's transaction, if this runner's lease is still
     * current; until that transaction ends, nobody can claim the lease. A batch written to a
     * database other than the control one commits while this lock is held, so a runner that has
     * lost its lease never writes after a newer one.
     *
     * @throws LeaseLostException when the lease expired or was taken over
     */
    public void holdLease(Connection transaction, Lease lease) throws SQLException {
        try (PreparedStatement statement = transaction.prepareStatement("""
                SELECT 1 FROM etl.pipeline_state
                 WHERE pipeline = ? AND lease_token = ? AND lease_holder = ? AND lease_expires_at > now()
                   FOR UPDATE""")) {
            statement.setString(1, lease.pipeline());
            statement.setLong(2, lease.token());
            statement.setString(3, lease.holder());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new LeaseLostException(lease.pipeline(), lease.token());
                }
            }
        }
    }

    /**
     * Records a committed batch inside the caller's transaction: the checkpoint (only while this
     * runner's lease is current: its token, unexpired) and the run's counters.
     *
     * @return whether a pause has been requested
     * @throws LeaseLostException when the lease expired or was taken over; the caller's transaction must roll back
     */
    public boolean saveProgress(Connection transaction, Lease lease, Checkpoint checkpoint, RunCounters counters) throws SQLException {
        // one statement, one round trip per batch: the run row is updated only if the lease is current
        try (PreparedStatement statement = transaction.prepareStatement("""
                WITH state AS (
                    UPDATE etl.pipeline_state SET %s = ?::jsonb, updated_at = now()
                     WHERE pipeline = ? AND lease_token = ? AND lease_holder = ? AND lease_expires_at > now()
                    RETURNING pause_requested),
                run AS (
                    UPDATE etl.pipeline_run SET rows_read = ?, rows_written = ?, batches = ?, checkpoint = ?::jsonb
                     WHERE id = ? AND EXISTS (SELECT FROM state))
                SELECT pause_requested FROM state""".formatted(checkpointColumn(lease.mode())))) {
            String json = writeCheckpoint(checkpoint);
            statement.setString(1, json);
            statement.setString(2, lease.pipeline());
            statement.setLong(3, lease.token());
            statement.setString(4, lease.holder());
            statement.setLong(5, counters.rowsRead());
            statement.setLong(6, counters.rowsWritten());
            statement.setLong(7, counters.batches());
            statement.setString(8, checkpoint == null ? null : json);
            statement.setLong(9, lease.runRow());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new LeaseLostException(lease.pipeline(), lease.token());
                }
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Ends the run: its row gets its final status and counters and the lease is released, both
     * only if this runner still holds it. A completed full load also clears its checkpoint.
     */
    public void finish(Lease lease, RunStatus status, RunCounters counters, Checkpoint checkpoint, String error,
                       boolean clearCheckpoint) throws Exception {
        inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE etl.pipeline_state
                       SET lease_holder = NULL, lease_expires_at = NULL, updated_at = now(),
                           %1$s = CASE WHEN ? THEN NULL ELSE %1$s END
                     WHERE pipeline = ? AND lease_token = ? AND lease_holder = ?""".formatted(checkpointColumn(lease.mode())))) {
                statement.setBoolean(1, clearCheckpoint);
                statement.setString(2, lease.pipeline());
                statement.setLong(3, lease.token());
                statement.setString(4, lease.holder());
                if (statement.executeUpdate() == 0 && status != RunStatus.FAILED) {
                    throw new LeaseLostException(lease.pipeline(), lease.token());
                }
            }
            updateRun(connection, lease.runRow(), status, counters, checkpoint, error);
            return null;
        });
    }

    /** A run that failed before it could take the lease (for example, its reader query is wrong). */
    public void recordFailedRun(String pipeline, String runId, String holder, String error) throws Exception {
        inTransaction(connection -> insertRun(connection, runId, pipeline, holder, null, RunStatus.FAILED, error));
    }

    private static void updateRun(Connection connection, long row, RunStatus status, RunCounters counters,
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
            statement.setString(5, checkpoint == null ? null : writeCheckpoint(checkpoint));
            statement.setString(6, error);
            statement.setBoolean(7, status == RunStatus.RUNNING);
            statement.setLong(8, row);
            statement.executeUpdate();
        }
    }

    /** Sets or clears the pause flag, creating the pipeline's state row if it has none yet. */
    public void requestPause(String pipeline, boolean paused) throws Exception {
        inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO etl.pipeline_state AS s (pipeline, pause_requested) VALUES (?, ?)
                    ON CONFLICT (pipeline) DO UPDATE SET pause_requested = EXCLUDED.pause_requested, updated_at = now()""")) {
                statement.setString(1, pipeline);
                statement.setBoolean(2, paused);
                return statement.executeUpdate();
            }
        });
    }

    /** The pipeline's state row and its latest run, for {@code etl-runner status}. */
    public Map<String, Object> status(String pipeline) throws Exception {
        return inTransaction(connection -> {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("pipeline", pipeline);
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT checkpoint::text, pause_requested, lease_holder, lease_token, lease_expires_at::text, updated_at::text,
                           full_load_checkpoint::text
                      FROM etl.pipeline_state WHERE pipeline = ?""")) {
                statement.setString(1, pipeline);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        status.put("checkpoint", readCheckpoint(rs.getString(1)));
                        status.put("pauseRequested", rs.getBoolean(2));
                        status.put("leaseHolder", rs.getString(3));
                        status.put("leaseToken", rs.getLong(4));
                        status.put("leaseExpiresAt", rs.getString(5));
                        status.put("updatedAt", rs.getString(6));
                        status.put("fullLoadCheckpoint", readCheckpoint(rs.getString(7)));
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT run_id, status, started_at::text, finished_at::text, rows_read, rows_written, batches, error
                      FROM etl.pipeline_run WHERE pipeline = ? ORDER BY id DESC LIMIT 1""")) {
                statement.setString(1, pipeline);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        Map<String, Object> run = new LinkedHashMap<>();
                        run.put("runId", rs.getString(1));
                        run.put("status", rs.getString(2));
                        run.put("startedAt", rs.getString(3));
                        run.put("finishedAt", rs.getString(4));
                        run.put("rowsRead", rs.getLong(5));
                        run.put("rowsWritten", rs.getLong(6));
                        run.put("batches", rs.getLong(7));
                        run.put("error", rs.getString(8));
                        status.put("lastRun", run);
                    }
                }
            }
            return status;
        });
    }

    static Checkpoint readCheckpoint(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Checkpoint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("etl.pipeline_state.checkpoint is not a checkpoint: " + json, e);
        }
    }

    static String writeCheckpoint(Checkpoint checkpoint) {
        try {
            return JSON.writeValueAsString(checkpoint);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the server rolls the transaction back
        }
    }
}
