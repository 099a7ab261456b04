package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.source.Column;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts into a PostgreSQL table. A batch is copied ({@code COPY ... FROM STDIN}) into a
 * session-local staging table of the written columns, typed as the target's, then merged with one
 * {@code INSERT ... SELECT ... ON CONFLICT (keys) DO UPDATE}, in one transaction: the speed of COPY
 * with the semantics of an upsert. Each batch creates the staging table if its session has none
 * (a rolled-back batch takes a new one with it); its rows vanish at commit or rollback. Measured
 * with {@code make bench}, this costs no more than creating it once per session, and less than a
 * table dropped at every commit.
 */
public final class PostgresSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

    private final DataSource pool;
    private final boolean sharesControlDatabase;
    private final String createStaging;
    private final String copy;
    private final String upsert;
    private final int[] keyIndexes;
    private final List<String> keyColumns;
    private final CopyBinary binary;
    private final List<Violation> violations;

    /**
     * @param pool                  the target database's pool
     * @param sharesControlDatabase the target database holds the control schema: write in the caller's transaction
     * @param columns               the rows' columns, with the type of their values
     */
    public PostgresSink(DataSource pool, boolean sharesControlDatabase, String table, List<Column> columns, List<String> keyColumns)
            throws SQLException {
        this.pool = pool;
        this.sharesControlDatabase = sharesControlDatabase;
        List<String> names = columns.stream().map(Column::name).toList();
        Map<String, String> targetTypes = targetColumns(pool, table);
        this.violations = missingColumns(table, names, targetTypes);
        this.binary = CopyBinary.forColumns(columns, targetTypes).orElse(null);
        // only the columns the rows carry, with their types and nothing else: the target's own defaults,
        // identities and generated columns act once, on the merge, for the columns the rows lack
        this.createStaging = "CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " ON COMMIT DELETE ROWS AS SELECT "
                + names.stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + " FROM " + Identifiers.quoteTable(table)
                + " WITH NO DATA";
        this.copy = "COPY " + STAGING + " (" + names.stream().map(Identifiers::quote).collect(Collectors.joining(", "))
                + ") FROM STDIN" + (binary == null ? "" : " (FORMAT binary)");
        this.upsert = upsertSql(table, names, keyColumns);
        this.keyIndexes = keyColumns.stream().mapToInt(names::indexOf).toArray();
        this.keyColumns = List.copyOf(keyColumns);
        LOG.info("writing {} with COPY in {} format", table, binary == null ? "text" : "binary");
    }

    /** Columns the rows carry that the target lacks; nothing is said of a table that is missing now (it may come back). */
    private static List<Violation> missingColumns(String table, List<String> names, Map<String, String> targetTypes) {
        if (targetTypes.isEmpty()) {
            return List.of();
        }
        return names.stream().filter(name -> !targetTypes.containsKey(name))
                .map(name -> new Violation("spec.target.postgres.table", table + " has no column '" + name
                        + "', which the rows carry: add it to the table, or drop or rename it with a transform"))
                .toList();
    }

    /** The table's columns and their type names; empty when there is no such table (yet). */
    private static Map<String, String> targetColumns(DataSource pool, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                      WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""")) {
            statement.setString(1, Identifiers.quoteTable(table));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
            connection.commit();
        }
        return types;
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
    public boolean commitsApart() {
        return !sharesControlDatabase;
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }

    @Override
    public Write prepare(SinkBatch batch) {
        NullKey.check(batch.rows(), keyIndexes, keyColumns);
        List<Object[]> unique = lastRowPerKey(batch.rows());
        byte[] copyData = binary == null ? CopyText.encode(unique) : binary.encode(unique);
        long rows = unique.size();
        return controlTransaction -> {
            if (sharesControlDatabase) {
                upsert(controlTransaction, copyData);
            } else {
                upsertAndCommit(copyData);
            }
            return rows;
        };
    }

    private void upsertAndCommit(byte[] copyData) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                upsert(connection, copyData);
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

    private void upsert(Connection connection, byte[] copyData) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStaging);
        }
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
        try {
            in.writeToCopy(copyData, 0, copyData.length);
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
