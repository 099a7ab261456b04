package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import dev.platform.etl.api.spec.PostgresTarget;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.source.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * A PostgreSQL target table as a run finds it, checked against the rows' columns before anything
 * runs: what does not fit is a violation, and what the pipeline allows ({@code createTable},
 * {@code addColumns}) becomes DDL that {@link #applyChanges} runs, once the lease is held. A column
 * is never dropped or retyped.
 */
final class TargetTable {
    private static final String FIELD = "spec.target.postgres.table";

    private final String table;
    private final List<Violation> violations = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    /** A plain table (or one the run creates), without row-level security: COPY writes it directly. */
    private boolean takesCopy = true;

    private TargetTable(String table) {
        this.table = table;
    }

    static TargetTable inspect(DataSource pool, PostgresTarget target, List<Column> columns) throws SQLException {
        TargetTable inspected = new TargetTable(target.getTable());
        try (Connection connection = pool.getConnection()) {
            Map<String, String> existing = columnTypes(connection, target.getTable());
            if (existing.isEmpty()) {
                inspected.planTable(connection, target, columns);
            } else {
                inspected.planColumns(connection, target, columns, existing);
                inspected.inspectRelation(connection, target.getKeyColumns());
            }
            connection.commit();
        }
        return inspected;
    }

    List<Violation> violations() {
        return violations;
    }

    /** Whether {@code COPY ... FROM} can write the table itself: not a view or foreign table, no row-level security. */
    boolean takesCopy() {
        return takesCopy;
    }

    /**
     * Creates the table or adds the columns, in one transaction: all of it, or none. The ranges of a
     * parallel load make the same changes at once; a lock on the table's name lets one go first,
     * and the others find the changes made ({@code IF NOT EXISTS}).
     */
    void applyChanges(DataSource pool) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            try {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "etl target " + Identifiers.quoteTable(table));
                    lock.execute();
                }
                for (String change : changes) {
                    statement.execute(change);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
        changes.clear();
    }

    /** The table's columns and their type names; empty when there is no such table. */
    static Map<String, String> columnTypes(Connection connection, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                 WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""")) {
            statement.setString(1, Identifiers.quoteTable(table));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return types;
    }

    private void planTable(Connection connection, PostgresTarget target, List<Column> columns) throws SQLException {
        if (!target.createsTable()) {
            violations.add(new Violation(FIELD, table + " does not exist: create it, or set spec.target.postgres.createTable: true "
                    + "to have the runner create it from the rows' columns"));
            return;
        }
        String schema = table.substring(0, table.indexOf('.'));
        if (!exists(connection, "SELECT to_regnamespace(?) IS NOT NULL", Identifiers.quote(schema))) {
            violations.add(new Violation(FIELD, "schema '" + schema + "' does not exist: createTable creates the table, not its schema"));
            return;
        }
        String definitions = columns.stream().map(c -> Identifiers.quote(c.name()) + " " + c.declaredType()).collect(Collectors.joining(", "));
        String key = target.getKeyColumns().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        changes.add("CREATE TABLE IF NOT EXISTS " + Identifiers.quoteTable(table) + " (" + definitions + ", PRIMARY KEY (" + key + "))");
    }

    private void planColumns(Connection connection, PostgresTarget target, List<Column> columns, Map<String, String> existing)
            throws SQLException {
        for (Column column : columns) {
            if (existing.containsKey(column.name())) {
                continue;
            }
            if (target.addsColumns()) {
                changes.add("ALTER TABLE " + Identifiers.quoteTable(table) + " ADD COLUMN IF NOT EXISTS " + Identifiers.quote(column.name())
                        + " " + column.declaredType());
            } else {
                violations.add(new Violation(FIELD, table + " has no column '" + column.name() + "', which the rows carry: add it to the "
                        + "table, set spec.target.postgres.addColumns: true, or drop or rename it with a transform"));
            }
        }
        typeConflicts(connection, columns);
    }

    /**
     * A table of its own ({@code relkind} r or p) must have the key index (see {@link #checkKeyIndex}),
     * and takes COPY unless row-level security filters its rows. A view's or a foreign table's index
     * is not its own: their rows are always upserted, and ON CONFLICT itself finds the index of the
     * table underneath, or refuses.
     */
    private void inspectRelation(Connection connection, List<String> keyColumns) throws SQLException {
        boolean ownTable;
        boolean rowSecurity;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relkind IN ('r', 'p'), relrowsecurity FROM pg_class WHERE oid = to_regclass(?)")) {
            statement.setString(1, Identifiers.quoteTable(table));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                ownTable = rs.getBoolean(1);
                rowSecurity = rs.getBoolean(2);
            }
        }
        if (ownTable) {
            checkKeyIndex(connection, keyColumns);
        }
        takesCopy = ownTable && !rowSecurity;
    }

    /**
     * The table must have a primary key or unique index on exactly the key columns, as
     * {@code ON CONFLICT (keys)} needs: immediate, not partial, no expression. Batches are first
     * copied plainly (see {@link PostgresSink}), which only such an index stops from duplicating a
     * key.
     */
    private void checkKeyIndex(Connection connection, List<String> keyColumns) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT EXISTS (
                    SELECT FROM pg_index i
                     WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indimmediate AND i.indisvalid
                       AND i.indpred IS NULL AND i.indexprs IS NULL
                       AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
                              FROM generate_series(0, i.indnkeyatts - 1) k
                              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k])
                           = (SELECT array_agg(c ORDER BY c) FROM unnest(?::text[]) c))""")) {
            statement.setString(1, Identifiers.quoteTable(table));
            statement.setArray(2, connection.createArrayOf("text", keyColumns.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    violations.add(new Violation("spec.target.postgres.keyColumns", table + " has no primary key or unique index on exactly ("
                            + String.join(", ", keyColumns) + "), which a run upserts by: add one (not partial, not deferrable), "
                            + "or set keyColumns to the columns of one"));
                }
            }
        }
    }

    /**
     * Columns whose values the table's column cannot take: neither the same type nor one that
     * PostgreSQL converts on assignment (int4 into int8, timestamp into timestamptz, arrays of such),
     * and neither side text, which the table parses.
     */
    private void typeConflicts(Connection connection, List<Column> columns) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                WITH rows_column AS (
                    SELECT c.name, c.declared, to_regtype(c.declared) AS source_type
                      FROM unnest(?::text[], ?::text[]) AS c(name, declared)),
                pair AS (
                    SELECT r.name, r.declared, format_type(a.atttypid, a.atttypmod) AS target_declared,
                           r.source_type, coalesce(nullif(tt.typbasetype, 0), tt.oid) AS target_type
                      FROM rows_column r
                      JOIN pg_attribute a ON a.attrelid = to_regclass(?) AND a.attname = r.name AND a.attnum > 0 AND NOT a.attisdropped
                      JOIN pg_type tt ON tt.oid = a.atttypid)
                SELECT p.name, p.declared, p.target_declared
                  FROM pair p JOIN pg_type s ON s.oid = p.source_type JOIN pg_type t ON t.oid = p.target_type
                 WHERE NOT (s.oid = t.oid OR s.typcategory IN ('S', 'X') OR t.typcategory = 'S'
                            OR EXISTS (SELECT FROM pg_cast WHERE castsource = s.oid AND casttarget = t.oid AND castcontext IN ('i', 'a'))
                            OR (s.typcategory = 'A' AND t.typcategory = 'A'
                                AND (s.typelem = t.typelem
                                     OR EXISTS (SELECT FROM pg_cast WHERE castsource = s.typelem AND casttarget = t.typelem
                                                                       AND castcontext IN ('i', 'a'))
                                     OR (SELECT typcategory FROM pg_type WHERE oid = s.typelem) = 'S')))""")) {
            statement.setArray(1, connection.createArrayOf("text", columns.stream().map(Column::name).toArray()));
            statement.setArray(2, connection.createArrayOf("text", columns.stream().map(Column::declaredType).toArray()));
            statement.setString(3, Identifiers.quoteTable(table));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    violations.add(new Violation(FIELD, "column '" + rs.getString(1) + "' is " + rs.getString(3) + " in " + table
                            + ", but the rows carry " + rs.getString(2) + ": the runner never retypes a column; cast it in the reader, "
                            + "or change the table"));
                }
            }
        }
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
