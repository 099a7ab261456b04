package dev.platform.etl.runner.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One statement over the whole reader output, fetched a batch at a time through a
 * server-side cursor, in one read-only transaction. Used for Full loads without a tie-breaker,
 * which cannot resume and so restart from the beginning.
 */
final class StreamingReader implements SourceReader {
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final BatchLimit limit;
    private final Values.Reader[] readers;

    StreamingReader(Connection connection, String sql, BatchLimit limit, Values.Reader[] readers) throws SQLException {
        this.connection = connection;
        this.limit = limit;
        this.readers = readers;
        try {
            this.statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(limit.rowsToFetch(0));
            this.rows = statement.executeQuery();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public Optional<SourceBatch> next() throws SQLException {
        List<Object[]> batch = new ArrayList<>(Math.min(limit.rows(), 10_000));
        PostgresSource.Read read = PostgresSource.readRows(rows, readers, limit.rows(), limit.bytes(), batch);
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        // the driver's next fetches hold as many rows as fit the limit's bytes
        rows.setFetchSize(limit.rowsToFetch(Math.max(1, read.bytes() / batch.size())));
        return Optional.of(new SourceBatch(batch, null));
    }

    @Override
    public void close() {
        try (connection; statement; rows) {
            connection.rollback();
        } catch (SQLException ignored) {
            // a read-only transaction: nothing to keep
        }
    }
}
