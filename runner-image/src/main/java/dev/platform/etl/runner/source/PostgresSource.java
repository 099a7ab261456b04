package dev.platform.etl.runner.source;

import dev.platform.etl.api.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGResultSetMetaData;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of a pipeline: the user's SQL, run only in read-only transactions, on a pool whose
 * connections are read-only and time out their statements.
 */
public final class PostgresSource {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSource.class);
    private final DataSource pool;
    private final String query;
    private final BatchLimit limit;

    public PostgresSource(DataSource pool, String query, BatchLimit limit) {
        this.pool = pool;
        this.query = query;
        this.limit = limit;
    }

    /** The reader's output columns, from the server's description of the query: nothing is executed. */
    public List<Column> describe() throws SQLException {
        try (Connection connection = readOnlyTransaction();
             PreparedStatement statement = connection.prepareStatement(ReaderQuery.wrapped(query))) {
            PGResultSetMetaData meta = statement.getMetaData().unwrap(PGResultSetMetaData.class);
            int count = statement.getMetaData().getColumnCount();
            String[] names = new String[count];
            String[] types = new String[count];
            String[] tables = new String[count];
            String[] tableColumns = new String[count];
            for (int i = 0; i < count; i++) {
                names[i] = statement.getMetaData().getColumnLabel(i + 1);
                types[i] = statement.getMetaData().getColumnTypeName(i + 1);
                String table = meta.getBaseTableName(i + 1);
                tables[i] = table.isEmpty() ? "" : Identifiers.quote(meta.getBaseSchemaName(i + 1)) + "." + Identifiers.quote(table);
                tableColumns[i] = meta.getBaseColumnName(i + 1);
            }
            List<String> declared = declaredTypes(connection, types, tables, tableColumns);
            warnIfTheRoleCanWrite(connection);
            connection.commit();
            List<Column> columns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                columns.add(new Column(names[i], types[i], declared.get(i)));
            }
            return columns;
        }
    }

    /**
     * Each column's type as SQL declares it: a table's column read as it is keeps its modifiers
     * ({@code numeric(10,2)}, {@code varchar(20)}); an expression has its type's plain name.
     */
    private static List<String> declaredTypes(Connection connection, String[] types, String[] tables, String[] tableColumns)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT coalesce(
                         (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                           WHERE a.attrelid = to_regclass(nullif(c.source_table, '')) AND a.attname = c.source_column
                             AND a.atttypid = to_regtype(c.type_name)),
                         format_type(to_regtype(c.type_name), -1),
                         c.type_name)
                  FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS c(type_name, source_table, source_column, n)
                 ORDER BY c.n""")) {
            statement.setArray(1, connection.createArrayOf("text", types));
            statement.setArray(2, connection.createArrayOf("text", tables));
            statement.setArray(3, connection.createArrayOf("text", tableColumns));
            List<String> declared = new ArrayList<>(types.length);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    declared.add(rs.getString(1));
                }
            }
            return declared;
        }
    }

    /**
     * The reader's transactions are read-only whatever its SQL says, and that is what keeps a
     * reader from writing; a source role that cannot write at all is the second line, which only
     * the database's owner can draw. Says so when the role can write to a table (but for the control
     * schema's, which lives in the source database when nothing else holds it).
     */
    private static void warnIfTheRoleCanWrite(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT current_user, r.rolsuper,
                       (SELECT string_agg(quote_ident(n.nspname) || '.' || quote_ident(c.relname), ', ' ORDER BY n.nspname, c.relname)
                          FROM (SELECT c.* FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                 WHERE c.relkind IN ('r', 'p', 'v', 'f')
                                   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'etl')
                                   AND n.nspname NOT LIKE 'pg\\_%'
                                   AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
                                 ORDER BY n.nspname, c.relname LIMIT 3) c
                          JOIN pg_namespace n ON n.oid = c.relnamespace)
                  FROM pg_roles r WHERE r.rolname = current_user""");
             ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                return;
            }
            if (rs.getBoolean(2)) {
                LOG.warn("the source role {} is a superuser: give the reader a role that can only read", rs.getString(1));
            } else if (rs.getString(3) != null) {
                LOG.warn("the source role {} can write to tables (for example {}): give the reader a role that can only read",
                        rs.getString(1), rs.getString(3));
            }
        }
    }

    /**
     * The tie-breaker values that split the reader's output into {@code ranges} ranges of about
     * equal size, in order ({@code ranges - 1} of them, possibly repeated when values are few);
     * empty when the output is empty. One read-only statement that sorts the column's values.
     */
    public List<String> splitPoints(String keyColumn, int ranges) throws SQLException {
        Double[] fractions = new Double[ranges - 1];
        for (int i = 1; i < ranges; i++) {
            fractions[i - 1] = (double) i / ranges;
        }
        try (Connection connection = readOnlyTransaction();
             PreparedStatement statement = connection.prepareStatement(ReaderQuery.splitPoints(query, keyColumn))) {
            statement.setArray(1, connection.createArrayOf("float8", fractions));
            List<String> points = new ArrayList<>(ranges - 1);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    points.add(rs.getString(1));
                }
            }
            connection.commit();
            return points;
        }
    }

    public SourceReader open(ScanPlan plan, List<Column> columns) throws SQLException {
        Values.Reader[] readers = columns.stream().map(c -> Values.readerFor(c.type())).toArray(Values.Reader[]::new);
        return plan.keyset()
                ? new KeysetReader(this, plan, readers)
                : new StreamingReader(readOnlyTransaction(), ReaderQuery.wrapped(query), limit, readers);
    }

    /**
     * A connection in a new read-only transaction, whose session still reads SQL as the runner
     * checked it: a query may have changed {@code standard_conforming_strings} for the session
     * when it ran before, and the run then stops rather than send it again.
     */
    Connection readOnlyTransaction() throws SQLException {
        Connection connection = pool.getConnection();
        try {
            if (!connection.unwrap(BaseConnection.class).getStandardConformingStrings()) {
                throw new SQLException("the reader query turned standard_conforming_strings off for its session, which changes "
                        + "how its SQL is read; a reader query must not change session settings", "55000");
            }
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    String query() {
        return query;
    }

    BatchLimit limit() {
        return limit;
    }

    /** What {@link #readRows} read: whether the result's rows ran out, and about how many bytes the rows take. */
    record Read(boolean ranOut, long bytes) {
    }

    /** Reads rows from {@code rs} into {@code batch} until it holds {@code rows} rows or the limit's bytes, or the rows run out. */
    static Read readRows(ResultSet rs, Values.Reader[] readers, int rows, long maxBytes, List<Object[]> batch) throws SQLException {
        long bytes = 0;
        while (batch.size() < rows && bytes < maxBytes) {
            if (!rs.next()) {
                return new Read(true, bytes);
            }
            Object[] row = new Object[readers.length];
            for (int i = 0; i < readers.length; i++) {
                row[i] = readers[i].read(rs, i + 1);
                bytes += Values.estimatedBytes(row[i]);
            }
            batch.add(row);
        }
        return new Read(false, bytes);
    }
}
