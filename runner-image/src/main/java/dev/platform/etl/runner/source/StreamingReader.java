package dev.platform.etl.runner.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One statement over the whole reader output, fetched {@code batchSize} rows at a time through a
 * server-side cursor, in one read-only transaction. Used for Full loads without a tie-breaker,
 * which cannot resume and so restart from the beginning.
 */
final class StreamingReader implements SourceReader {
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final int batchSize;
    private final Values.Reader[] readers;

    StreamingReader(Connection connection, String sql, int batchSize, Values.Reader[] readers) throws SQLException {
        this.connection = connection;
        this.batchSize = batchSize;
        this.readers = readers;
        try {
            this.statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(batchSize);
            this.rows = statement.executeQuery();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public Optional<SourceBatch> next() throws SQLException {
        List<Object[]> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.next()) {
            batch.add(PostgresSource.readRow(rows, readers));
        }
        return batch.isEmpty() ? Optional.empty() : Optional.of(new SourceBatch(batch, null));
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
