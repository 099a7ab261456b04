package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * The way a batch is upserted into a PostgreSQL table: copied into a session-local staging table
 * of the written columns, typed as the target's, then merged with one
 * {@code INSERT ... SELECT ... ON CONFLICT (keys) DO UPDATE}, which the caller sends. The staging table lives as long as its
 * session; its rows vanish at commit or rollback.
 */
final class StagingTable {
    /** Qualified, so that a {@code search_path} in the target's URL never sends the rows to a table of another schema. */
    static final String NAME = "pg_temp.etl_staging_batch";
    /** The staged rows' flag column when soft deletes are on: no column of the rows can have this name. */
    static final String DELETED_NAME = "etl$deleted";
    static final String DELETED = '"' + DELETED_NAME + '"';
    /** The SQLSTATE of the notice that {@code CREATE TABLE IF NOT EXISTS} gives for a table already there. */
    private static final String DUPLICATE_TABLE = "42P07";

    private final String create;
    private final LastStatement merge;
    /** The sessions known to have the staging table (see {@link #createIn}). */
    private final Set<PGConnection> created = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param columns    the written columns
     * @param loadedKeys where a load that deletes what it did not read records the staged keys; null without deleteMissing
     */
    StagingTable(String table, List<String> columns, List<String> keyColumns, boolean softDeletes, LoadedKeys loadedKeys, String pipeline) {
        // only the columns the rows carry, with their types and nothing else: the target's own defaults,
        // identities and generated columns act once, on the merge, for the columns the rows lack
        this.create = "CREATE TEMP TABLE IF NOT EXISTS " + NAME + " ON COMMIT DELETE ROWS AS SELECT "
                + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + (softDeletes ? ", false AS " + DELETED : "")
                + " FROM " + Identifiers.quoteTable(table) + " WITH NO DATA";
        String upsert = mergeSql(table, columns, keyColumns, softDeletes);
        // with a record of loaded keys, the merge's only parameter is the pipeline the keys are recorded for
        this.merge = loadedKeys == null ? new LastStatement(upsert, List.of())
                : new LastStatement(loadedKeys.recordStaged(NAME) + upsert, List.of(pipeline));
    }

    /**
     * One statement: the staged rows are upserted by key; with soft deletes, the keys of rows
     * marked deleted are deleted instead (a key is staged once, so it is one or the other).
     */
    static String mergeSql(String table, List<String> columns, List<String> keyColumns, boolean softDeletes) {
        String names = columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        String keys = keyColumns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        List<String> updates = columns.stream()
                .filter(c -> !keyColumns.contains(c))
                .map(c -> Identifiers.quote(c) + " = EXCLUDED." + Identifiers.quote(c))
                .toList();
        String onConflict = updates.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + String.join(", ", updates);
        String upsert = "INSERT INTO " + Identifiers.quoteTable(table) + " (" + names + ") SELECT " + names + " FROM " + NAME
                + (softDeletes ? " WHERE NOT " + DELETED : "") + " ON CONFLICT (" + keys + ") " + onConflict;
        if (!softDeletes) {
            return upsert;
        }
        String sameKey = keyColumns.stream().map(k -> "t." + Identifiers.quote(k) + " = s." + Identifiers.quote(k))
                .collect(Collectors.joining(" AND "));
        return "WITH deleted AS (DELETE FROM " + Identifiers.quoteTable(table) + " t USING " + NAME + " s WHERE s." + DELETED
                + " AND " + sameKey + ") " + upsert;
    }

    /**
     * Copies the batch into the staging table with {@code copy}, in the caller's transaction, and
     * returns the statement that merges it into the table, not yet sent.
     */
    LastStatement stage(Connection connection, PGConnection session, String copy, byte[] copyData) throws SQLException {
        createIn(connection, session);
        CopyStatement.send(session, copy, copyData);
        return merge;
    }

    /**
     * Creates the staging table if the session may lack it. A table found already there was created
     * by a transaction that committed, since a rolled-back one takes its table with it: such a
     * session keeps it, and its later batches skip the statement.
     */
    private void createIn(Connection connection, PGConnection session) throws SQLException {
        if (created.contains(session)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(create);
            SQLWarning notice = statement.getWarnings();
            if (notice != null && DUPLICATE_TABLE.equals(notice.getSQLState())) {
                created.add(session);
            }
        }
    }
}
