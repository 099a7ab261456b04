package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import dev.platform.etl.runner.source.JsonText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Upserts into a PostgreSQL table: {@code INSERT ... ON CONFLICT (keys) DO UPDATE}, all rows of
 * a batch in one statement batch and one transaction.
 */
public final class PostgresSink implements Sink {
    private final DataSource ownPool;
    private final boolean sharesControlDatabase;
    private final String upsert;
    private final int[] keyIndexes;

    /**
     * @param ownPool               used when the table is not in the control database
     * @param sharesControlDatabase write in the caller's control transaction instead
     */
    public PostgresSink(DataSource ownPool, boolean sharesControlDatabase, String table, List<String> columns, List<String> keyColumns) {
        this.ownPool = ownPool;
        this.sharesControlDatabase = sharesControlDatabase;
        this.upsert = upsertSql(table, columns, keyColumns);
        this.keyIndexes = keyColumns.stream().mapToInt(columns::indexOf).toArray();
    }

    static String upsertSql(String table, List<String> columns, List<String> keyColumns) {
        String names = columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String placeholders = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        String keys = keyColumns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        List<String> updates = columns.stream()
                .filter(c -> !keyColumns.contains(c))
                .map(c -> Identifiers.quote(c) + " = EXCLUDED." + Identifiers.quote(c))
                .toList();
        String onConflict = updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates);
        return "INSERT INTO " + Identifiers.quoteTable(table) + " (" + names + ") VALUES (" + placeholders + ")"
                + " ON CONFLICT (" + keys + ") " + onConflict;
    }

    @Override
    public long write(SinkBatch batch, Connection controlTransaction) throws Exception {
        List<Object[]> unique = lastRowPerKey(batch.rows());
        if (sharesControlDatabase) {
            upsert(controlTransaction, unique);
            return unique.size();
        }
        try (Connection connection = ownPool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                upsert(connection, unique);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return unique.size();
    }

    /** One statement cannot update a row twice: within a batch the last row of a key wins, as it would in sequence. */
    private List<Object[]> lastRowPerKey(List<Object[]> rows) {
        Map<List<Object>, Object[]> byKey = new LinkedHashMap<>();
        for (Object[] row : rows) {
            Object[] key = new Object[keyIndexes.length];
            for (int i = 0; i < key.length; i++) {
                key[i] = row[keyIndexes[i]];
            }
            byKey.remove(Arrays.asList(key));
            byKey.put(Arrays.asList(key), row);
        }
        return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
    }

    private void upsert(Connection connection, List<Object[]> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(statement, i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof JsonText json) {
            statement.setObject(index, json.json(), Types.OTHER);
        } else if (value instanceof String text) {
            // untyped: the server converts the text to the column's own type (enum, inet, arrays...)
            statement.setObject(index, text, Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }

    @Override
    public void close() {
        // pools are owned by the run
    }
}
