package dev.platform.etl.runner.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The reader of a pipeline: the user's SQL, run only in read-only transactions with a statement
 * timeout, on a pool whose connections are read-only.
 */
public final class PostgresSource {
    private final DataSource pool;
    private final String query;
    private final Duration statementTimeout;
    private final int batchSize;

    public PostgresSource(DataSource pool, String query, Duration statementTimeout, int batchSize) {
        this.pool = pool;
        this.query = query;
        this.statementTimeout = statementTimeout;
        this.batchSize = batchSize;
    }

    /** The reader's output columns, from the server's description of the query: nothing is executed. */
    public List<Column> describe() throws SQLException {
        try (Connection connection = readOnlyTransaction();
             PreparedStatement statement = connection.prepareStatement(ReaderQuery.wrapped(query))) {
            ResultSetMetaData meta = statement.getMetaData();
            List<Column> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(new Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
            }
            connection.commit();
            return columns;
        }
    }

    public SourceReader open(ScanPlan plan, List<Column> columns) throws SQLException {
        Values.Reader[] readers = columns.stream().map(c -> Values.readerFor(c.type())).toArray(Values.Reader[]::new);
        return plan.keyset()
                ? new KeysetReader(this, plan, readers)
                : new StreamingReader(readOnlyTransaction(), ReaderQuery.wrapped(query), batchSize, readers);
    }

    /** A connection in a new read-only transaction, with this reader's statement timeout. */
    Connection readOnlyTransaction() throws SQLException {
        Connection connection = pool.getConnection();
        try {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
                statement.setString(1, statementTimeout.toMillis() + "ms");
                statement.execute();
            }
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    String query() {
        return query;
    }

    int batchSize() {
        return batchSize;
    }

    static Object[] readRow(ResultSet rs, Values.Reader[] readers) throws SQLException {
        Object[] row = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            row[i] = readers[i].read(rs, i + 1);
        }
        return row;
    }
}
