package dev.platform.etl.runner.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One text column of the pipeline's row in {@code etl.pipeline_state} that a sink keeps for itself
 * (the index of a load behind an alias, the UUID of the index written), each read or written in a
 * transaction of its own.
 *
 * @param column one of the sinks' own columns, never user input
 */
record PipelineStateColumn(DataSource control, String pipeline, String column) {
    String read() throws SQLException {
        try (Connection connection = control.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT " + column + " FROM etl.pipeline_state WHERE pipeline = ?")) {
            statement.setString(1, pipeline);
            try (ResultSet rs = statement.executeQuery()) {
                String value = rs.next() ? rs.getString(1) : null;
                connection.commit();
                return value;
            }
        }
    }

    void write(String value) throws SQLException {
        try (Connection connection = control.getConnection();
             PreparedStatement statement = connection.prepareStatement("UPDATE etl.pipeline_state SET " + column + " = ? WHERE pipeline = ?")) {
            statement.setString(1, value);
            statement.setString(2, pipeline);
            statement.executeUpdate();
            connection.commit();
        }
    }
}
