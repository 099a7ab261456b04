package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

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
            } catch (SQLException | IOException | RuntimeException e) {
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

    private void upsert(Connection connection, List<Object[]> rows) throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStaging);
        }
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(CopyText.encode(rows)));
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(upsert);
        }
    }

    @Override
    public void close() {
        // pools are owned by the run
    }
}
