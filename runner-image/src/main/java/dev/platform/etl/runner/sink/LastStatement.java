package dev.platform.etl.runner.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A write's last statement, left unsent so that the round trip that records the batch's
 * checkpoint and commits it carries it too (see {@link Sink.Written}).
 *
 * @param sql        one statement, with {@code ?} placeholders
 * @param parameters the placeholders' values, in order
 */
public record LastStatement(String sql, List<Object> parameters) {
    public LastStatement {
        parameters = List.copyOf(parameters);
    }

    /** Binds the parameters to a statement that starts with this one; returns the index of the next placeholder. */
    public int bind(PreparedStatement statement) throws SQLException {
        int index = 1;
        for (Object parameter : parameters) {
            statement.setObject(index++, parameter);
        }
        return index;
    }

    /** Sends it on its own, for a write that commits its own transaction. */
    void execute(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement);
            statement.executeUpdate();
        }
    }
}
