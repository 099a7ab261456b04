package dev.platform.etl.runner.control;

import java.sql.PreparedStatement;

/** {@code etl.pipeline_state.pause_requested}: read by a running runner after every batch. */
public final class PauseRequests {
    private PauseRequests() {
    }

    /** Sets or clears the flag, creating the pipeline's state row if it has none yet. */
    public static void set(ControlDatabase control, String pipeline, boolean paused) throws Exception {
        control.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO etl.pipeline_state AS s (pipeline, pause_requested) VALUES (?, ?)
                    ON CONFLICT (pipeline) DO UPDATE SET pause_requested = EXCLUDED.pause_requested, updated_at = now()""")) {
                statement.setString(1, pipeline);
                statement.setBoolean(2, paused);
                return statement.executeUpdate();
            }
        });
    }
}
