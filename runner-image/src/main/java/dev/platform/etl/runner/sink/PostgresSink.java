package dev.platform.etl.runner.sink;

import dev.platform.etl.api.Identifiers;
import dev.platform.etl.api.spec.PostgresTarget;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.source.Column;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts into a PostgreSQL table, a batch in one transaction, in one of two ways:
 * <ul>
 *   <li>Copied straight into the table ({@code COPY ... FROM STDIN}), until a batch finds one of
 *   its keys already there. The copy runs after a savepoint: the unique violation of a key found
 *   rolls back the copy alone, and the same batch is upserted in its place, as every batch after
 *   it. A load into an empty table never finds a key, and a plain copy costs about half as much as
 *   staging the rows and upserting them. The table's unique index on the keys, which
 *   {@link TargetTable} requires, is what finds one.</li>
 *   <li>Upserted through the {@link StagingTable}. In the control transaction, the merge is left to the
 *   round trip that records the checkpoint and commits. Soft deletes and {@code deleteMissing}, which
 *   read the staged rows, and tables that COPY cannot write directly always take this way.</li>
 * </ul>
 */
public final class PostgresSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

    private final DataSource pool;
    private final boolean sharesControlDatabase;
    private final String table;
    private final List<Column> columns;
    private final TargetTable target;
    private final boolean softDeletes;
    private final String pipeline;
    /** The keys a load records when it deletes what it did not read; null without deleteMissing. */
    private final LoadedKeys loadedKeys;
    private final List<Violation> violations = new ArrayList<>();
    private final StagingTable staging;
    /** Whether a batch may be copied straight into the table (see the class comment). */
    private final boolean copiesIntoTable;
    private final int[] keyIndexes;
    private final List<String> keyColumns;
    /** How batches are copied, once {@link #setUp} has seen the table's column types. */
    private volatile Encoding encoding;
    /** Whether a batch has found one of its keys in the table: from then on, batches are upserted. */
    private volatile boolean keyFound;

    /** The COPY format and statements; {@code binary} is null for text. */
    private record Encoding(CopyBinary binary, String copyIntoStaging, String copyIntoTable) {
    }

    /**
     * @param pool                  the target database's pool
     * @param sharesControlDatabase the target database holds the control schema: write in the caller's transaction
     * @param columns               the rows' columns, with the type of their values
     * @param softDeletes           rows come marked deleted or not: a deleted row's key is deleted from the table
     * @param pipeline              the pipeline's name in the control schema
     */
    public PostgresSink(DataSource pool, boolean sharesControlDatabase, PostgresTarget target, List<Column> columns, boolean softDeletes,
                        String pipeline) throws SQLException {
        this.pool = pool;
        this.sharesControlDatabase = sharesControlDatabase;
        this.table = target.getTable();
        this.columns = List.copyOf(columns);
        this.target = TargetTable.inspect(pool, target, columns);
        this.softDeletes = softDeletes;
        this.pipeline = pipeline;
        this.loadedKeys = target.deletesMissing() ? new LoadedKeys(pipeline, table, target.getKeyColumns()) : null;
        violations.addAll(this.target.violations());
        if (loadedKeys != null && !sharesControlDatabase) {
            violations.add(new Violation("spec.target.postgres.deleteMissing", "needs the control schema in the target database, "
                    + "where the keys a load has read are committed with its batches: remove spec.control (or --control-db)"));
        }
        List<String> names = columns.stream().map(Column::name).toList();
        this.staging = new StagingTable(table, names, target.getKeyColumns(), softDeletes, loadedKeys, pipeline);
        this.copiesIntoTable = !softDeletes && loadedKeys == null && this.target.takesCopy();
        this.keyIndexes = target.getKeyColumns().stream().mapToInt(names::indexOf).toArray();
        this.keyColumns = List.copyOf(target.getKeyColumns());
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }

    /**
     * Creates the table or adds its missing columns if the pipeline allows it, then picks the COPY
     * format for its types. A load that deletes what it does not read starts its record of keys
     * afresh, or, resumed, makes sure it kept one from its start.
     */
    @Override
    public boolean setUp(boolean resuming) throws SQLException {
        target.applyChanges(pool);
        if (loadedKeys != null) {
            loadedKeys.startOrCheck(pool, resuming);
        }
        Map<String, String> targetTypes;
        try (Connection connection = pool.getConnection()) {
            targetTypes = TargetTable.columnTypes(connection, table);
            connection.commit();
        }
        List<Column> copied = new ArrayList<>(columns);
        if (softDeletes) {
            copied.add(new Column(StagingTable.DELETED_NAME, "bool"));
            targetTypes.put(StagingTable.DELETED_NAME, "bool");
        }
        CopyBinary binary = CopyBinary.forColumns(copied, targetTypes).orElse(null);
        String names = columns.stream().map(c -> Identifiers.quote(c.name())).collect(Collectors.joining(", "))
                + (softDeletes ? ", " + StagingTable.DELETED : "");
        // The volatile WHERE, always true, makes COPY insert row by row: PostgreSQL buffers rows only
        // when nothing volatile is evaluated per row, and buffering creates a tuple slot per row,
        // whose registration cost PostgreSQL 17 a quarter of a 500-row batch's COPY into the staging
        // table, and more than it saved copying into the table (see the README, Performance).
        String from = " (" + names + ") FROM STDIN" + (binary == null ? "" : " (FORMAT binary)") + " WHERE random() >= 0";
        encoding = new Encoding(binary, "COPY " + StagingTable.NAME + from, "COPY " + Identifiers.quoteTable(table) + from);
        LOG.info("writing {} with COPY in {} format", table, binary == null ? "text" : "binary");
        return false;
    }

    /** With deleteMissing: deletes the table's rows whose key the completed load did not read. */
    @Override
    public long completeLoad(Connection controlTransaction) throws SQLException {
        if (loadedKeys == null) {
            return 0;
        }
        long deleted = loadedKeys.deleteUnread(controlTransaction);
        LOG.info("{}: the load is complete; deleted {} rows of {} that it did not read", pipeline, deleted, table);
        return deleted;
    }

    @Override
    public boolean commitsApart() {
        return !sharesControlDatabase;
    }

    @Override
    public Write prepare(SinkBatch batch) {
        NullKey.check(batch.rows(), keyIndexes, keyColumns);
        List<Object[]> unique = LastRowPerKey.of(softDeletes ? withDeletedFlags(batch) : batch.rows(), keyIndexes);
        Encoding encoding = this.encoding;
        byte[] copyData = encoding.binary() == null ? CopyText.encode(unique) : encoding.binary().encode(unique);
        long rows = unique.size();
        return controlTransaction -> {
            if (sharesControlDatabase) {
                return new Written(rows, write(controlTransaction, encoding, copyData));
            }
            writeAndCommit(encoding, copyData);
            return Written.rows(rows);
        };
    }

    private void writeAndCommit(Encoding encoding, byte[] copyData) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                LastStatement merge = write(connection, encoding, copyData);
                if (merge != null) {
                    merge.execute(connection);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken, and the server rolls the transaction back: the write's own failure is what counts
        }
    }

    /** Each row with one more value at its end: whether it was deleted, for the staging table's flag column. */
    private static List<Object[]> withDeletedFlags(SinkBatch batch) {
        List<Object[]> flagged = new ArrayList<>(batch.rows().size());
        for (int i = 0; i < batch.rows().size(); i++) {
            Object[] row = batch.rows().get(i);
            Object[] withFlag = Arrays.copyOf(row, row.length + 1);
            withFlag[row.length] = batch.isDeleted(i);
            flagged.add(withFlag);
        }
        return flagged;
    }

    /** Writes the batch but for the merge of an upsert, which it returns unsent; null for a batch copied into the table. */
    private LastStatement write(Connection connection, Encoding encoding, byte[] copyData) throws SQLException {
        PGConnection session = connection.unwrap(PGConnection.class);
        if (copiesIntoTable && !keyFound && copiedIntoTable(connection, session, encoding.copyIntoTable(), copyData)) {
            return null;
        }
        return staging.stage(connection, session, encoding.copyIntoStaging(), copyData);
    }

    /**
     * Copies the batch straight into the table, after a savepoint. A key already in the table
     * rolls the copy back to the savepoint: the batch is not written, and from then on batches are
     * upserted.
     */
    private boolean copiedIntoTable(Connection connection, PGConnection session, String copy, byte[] copyData) throws SQLException {
        Savepoint beforeCopy = connection.setSavepoint();
        try {
            CopyStatement.send(session, copy, copyData);
            return true;
        } catch (SQLException e) {
            if (!PSQLState.UNIQUE_VIOLATION.getState().equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeCopy);
            keyFound = true;
            LOG.info("{}: a batch found keys already in {}; batches are upserted from now on", pipeline, table);
            return false;
        }
    }

    @Override
    public void close() {
        // pools are owned by the run
    }
}
