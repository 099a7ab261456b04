package dev.platform.etl.runner.control;

import dev.platform.etl.runner.checkpoint.CheckpointJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code etl-runner status} prints: the pipeline's state row and its latest run, which, while
 * it runs, shows its progress: the counters and checkpoint of its last committed batch, and its
 * rows per second so far.
 */
public final class PipelineStatus {
    private PipelineStatus() {
    }

    public static Map<String, Object> read(ControlDatabase control, String pipeline) throws Exception {
        return control.inTransaction(connection -> {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("pipeline", pipeline);
            status.putAll(state(connection, pipeline));
            Map<String, Object> lastRun = lastRun(connection, pipeline);
            if (!lastRun.isEmpty()) {
                status.put("lastRun", lastRun);
            }
            return status;
        });
    }

    private static Map<String, Object> state(Connection connection, String pipeline) throws SQLException {
        Map<String, Object> state = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT checkpoint::text, pause_requested, lease_holder, lease_token, lease_expires_at::text, updated_at::text,
                       full_load_checkpoint::text
                  FROM etl.pipeline_state WHERE pipeline = ?""")) {
            statement.setString(1, pipeline);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    state.put("checkpoint", CheckpointJson.read(rs.getString(1)));
                    state.put("pauseRequested", rs.getBoolean(2));
                    state.put("leaseHolder", rs.getString(3));
                    state.put("leaseToken", rs.getLong(4));
                    state.put("leaseExpiresAt", rs.getString(5));
                    state.put("updatedAt", rs.getString(6));
                    state.put("fullLoadCheckpoint", CheckpointJson.read(rs.getString(7)));
                }
            }
        }
        return state;
    }

    private static Map<String, Object> lastRun(Connection connection, String pipeline) throws SQLException {
        Map<String, Object> run = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT run_id, status, started_at::text, finished_at::text, rows_read, rows_written, batches, error, checkpoint::text,
                       CASE WHEN status = 'RUNNING'
                            THEN round(rows_read / greatest(extract(epoch FROM clock_timestamp() - started_at), 0.001))::bigint END
                  FROM etl.pipeline_run WHERE pipeline = ? ORDER BY id DESC LIMIT 1""")) {
            statement.setString(1, pipeline);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    run.put("runId", rs.getString(1));
                    run.put("status", rs.getString(2));
                    run.put("startedAt", rs.getString(3));
                    run.put("finishedAt", rs.getString(4));
                    run.put("rowsRead", rs.getLong(5));
                    run.put("rowsWritten", rs.getLong(6));
                    run.put("batches", rs.getLong(7));
                    run.put("error", rs.getString(8));
                    // while it runs: where its last committed batch ended, and its pace so far
                    run.put("checkpoint", CheckpointJson.read(rs.getString(9)));
                    if (rs.getObject(10) != null) {
                        run.put("rowsPerSecond", rs.getLong(10));
                    }
                }
            }
        }
        return run;
    }
}
