package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What a full load with {@code deleteMissing} has read so far: its keys in
 * {@code etl.full_load_keys}, each a jsonb array of the key columns' values, committed with its
 * batch. When the load completes, the table's rows whose key is not there are deleted.
 */
final class LoadedKeys {
    private final String pipeline;
    private final String table;
    private final List<String> keyColumns;

    LoadedKeys(String pipeline, String table, List<String> keyColumns) {
        this.pipeline = pipeline;
        this.table = table;
        this.keyColumns = List.copyOf(keyColumns);
    }

    /**
     * Starts a load's record afresh, or checks that a resumed load kept one from its start. A JSON
     * null marks "recorded from the first batch": no key is null. A resumed load without it was
     * begun without deleteMissing, so the keys of its first batches are unknown, and completing it
     * would delete the rows they wrote.
     */
    void startOrCheck(DataSource pool, boolean resuming) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            if (resuming) {
                checkStarted(connection);
            } else {
                update(connection, "DELETE FROM etl.full_load_keys WHERE pipeline = ?");
                update(connection, "INSERT INTO etl.full_load_keys (pipeline, key) VALUES (?, 'null'::jsonb)");
            }
            connection.commit();
        }
    }

    /** A CTE that records the staged rows' keys; its parameter is the pipeline. */
    String recordStaged(String staging) {
        return "WITH seen AS (INSERT INTO etl.full_load_keys (pipeline, key) SELECT ?, " + keyArray("") + " FROM " + staging + ") ";
    }

    /** Deletes the table's rows whose key the completed load did not read, then forgets its keys. */
    long deleteUnread(Connection transaction) throws SQLException {
        long deleted;
        try (PreparedStatement statement = transaction.prepareStatement("DELETE FROM " + Identifiers.quoteTable(table)
                + " t WHERE NOT EXISTS (SELECT FROM etl.full_load_keys s WHERE s.pipeline = ? AND s.key = " + keyArray("t.") + ")")) {
            statement.setString(1, pipeline);
            deleted = statement.executeUpdate();
        }
        update(transaction, "DELETE FROM etl.full_load_keys WHERE pipeline = ?");
        return deleted;
    }

    private void checkStarted(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT EXISTS (SELECT FROM etl.full_load_keys WHERE pipeline = ? AND key = 'null'::jsonb)")) {
            statement.setString(1, pipeline);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalStateException("this full load was begun without deleteMissing, so it does not know the keys its "
                            + "first batches read: let it finish without deleteMissing, or start it over by clearing its checkpoint "
                            + "(UPDATE etl.pipeline_state SET full_load_checkpoint = NULL WHERE pipeline = '" + pipeline + "')");
                }
            }
        }
    }

    private void update(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, pipeline);
            statement.executeUpdate();
        }
    }

    /** The same jsonb array from a staged row and from the table's row. */
    private String keyArray(String alias) {
        return "jsonb_build_array(" + keyColumns.stream().map(k -> alias + Identifiers.quote(k)).collect(Collectors.joining(", ")) + ")";
    }
}
