package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Upserts into a PostgreSQL table. A batch is copied ({@code COPY ... FROM STDIN}) into a
 * session-local staging table shaped like the target, then merged with one
 * {@code INSERT ... SELECT ... ON CONFLICT (keys) DO UPDATE}, in one transaction: the speed of COPY
 * with the semantics of an upsert. The staging rows vanish at commit or rollback.
 */
public final class PostgresSink implements Sink {
    private final DataSource ownPool;
    private final boolean sharesControlDatabase;
    private final String createStaging;
    private final String copy;
    private final String upsert;
    private final int[] keyIndexes;

    /**
     * @param ownPool               used when the table is not in the control database
     * @param sharesControlDatabase write in the caller's control transaction instead
     */
    public PostgresSink(DataSource ownPool, boolean sharesControlDatabase, String table, List<String> columns, List<String> keyColumns) {
        this.ownPool = ownPool;
        this.sharesControlDatabase = sharesControlDatabase;
        String names = columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        this.createStaging = "CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (LIKE " + Identifiers.quoteTable(table)
                + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
        this.copy = "COPY " + STAGING + " (" + names + ") FROM STDIN";
        this.upsert = upsertSql(table, columns, keyColumns);
        this.keyIndexes = keyColumns.stream().mapToInt(columns::indexOf).toArray();
    }

    private static final String STAGING = "etl_staging_batch";

    static String upsertSql(String table, List<String> columns, List<String> keyColumns) {
        String names = columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String keys = keyColumns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        List<String> updates = columns.stream()
                .filter(c -> !keyColumns.contains(c))
                .map(c -> Identifiers.quote(c) + " = EXCLUDED." + Identifiers.quote(c))
                .toList();
        String onConflict = updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates);
        return "INSERT INTO " + Identifiers.quoteTable(table) + " (" + names + ") SELECT " + names + " FROM " + STAGING
                + " ON CONFLICT (" + keys + ") " + onConflict;
    }

    @Override
    public Write prepare(SinkBatch batch) {
        List<Object[]> unique = lastRowPerKey(batch.rows());
        byte[] copyText = CopyText.encode(unique);
        long rows = unique.size();
        return controlTransaction -> {
            if (sharesControlDatabase) {
                upsert(controlTransaction, copyText);
            } else {
                upsertAndCommit(copyText);
            }
            return rows;
        };
    }

    private void upsertAndCommit(byte[] copyText) throws SQLException {
        try (Connection connection = ownPool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                upsert(connection, copyText);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * One statement cannot update a row twice: within a batch the last row of a key wins, as it
     * would in sequence. Keys are compared as the database compares them (numeric 1.0 = 1.00).
     */
    private List<Object[]> lastRowPerKey(List<Object[]> rows) {
        Set<List<Object>> keys = new HashSet<>(rows.size() * 2);
        for (Object[] row : rows) {
            if (!keys.add(keyOf(row))) {
                Map<List<Object>, Object[]> byKey = new LinkedHashMap<>(rows.size() * 2);
                for (Object[] each : rows) {
                    List<Object> key = keyOf(each);
                    byKey.remove(key);
                    byKey.put(key, each);
                }
                return new ArrayList<>(byKey.values());
            }
        }
        return rows;
    }

    private List<Object> keyOf(Object[] row) {
        Object[] key = new Object[keyIndexes.length];
        for (int i = 0; i < key.length; i++) {
            Object value = row[keyIndexes[i]];
            key[i] = value instanceof BigDecimal decimal ? decimal.stripTrailingZeros()
                    : value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
        }
        return Arrays.asList(key);
    }

    private void upsert(Connection connection, byte[] copyText) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStaging);
        }
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
        try {
            in.writeToCopy(copyText, 0, copyText.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(upsert);
        }
    }

    @Override
    public void close() {
        // pools are owned by the run
    }
}
