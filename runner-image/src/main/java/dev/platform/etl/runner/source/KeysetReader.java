package dev.platform.etl.runner.source;

import dev.platform.etl.runner.checkpoint.Checkpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads page after page, each strictly after the last row of the previous one by the keyset
 * (cursor, tie-breaker), each in its own short read-only transaction. Rows that share a cursor
 * value across a page boundary are neither skipped nor repeated, and a failed page can simply be
 * read again.
 */
final class KeysetReader implements SourceReader {
    private final PostgresSource source;
    private final ScanPlan plan;
    private final Values.Reader[] readers;
    private final String firstPage;
    private final String nextPage;
    private Checkpoint last;
    private boolean exhausted;

    KeysetReader(PostgresSource source, ScanPlan plan, Values.Reader[] readers) {
        this.source = source;
        this.plan = plan;
        this.readers = readers;
        this.last = plan.start();
        boolean bounded = plan.horizon() != null;
        boolean capped = plan.upperBound() != null;
        this.firstPage = ReaderQuery.page(source.query(), plan.keyColumns(), false, bounded, capped);
        this.nextPage = ReaderQuery.page(source.query(), plan.keyColumns(), true, bounded, capped);
    }

    @Override
    public Optional<SourceBatch> next() throws Exception {
        if (exhausted) {
            return Optional.empty();
        }
        List<Object[]> rows = readPage();
        exhausted = rows.size() < source.batchSize();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Checkpoint checkpoint = plan.checkpointAfter(rows.get(rows.size() - 1));
        last = checkpoint;
        return Optional.of(new SourceBatch(rows, checkpoint));
    }

    private List<Object[]> readPage() throws Exception {
        boolean after = last != null;
        try (Connection connection = source.readOnlyTransaction();
             PreparedStatement statement = connection.prepareStatement(after ? nextPage : firstPage)) {
            int parameter = 1;
            if (after) {
                for (String value : plan.keyValuesOf(last)) {
                    // untyped: the server reads the text as the key column's own type
                    statement.setObject(parameter++, value, Types.OTHER);
                }
            }
            if (plan.horizon() != null) {
                statement.setObject(parameter++, plan.horizon());
            }
            if (plan.upperBound() != null) {
                statement.setObject(parameter++, plan.upperBound(), Types.OTHER);
            }
            statement.setInt(parameter, source.batchSize());
            List<Object[]> rows = new ArrayList<>(source.batchSize());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(PostgresSource.readRow(rs, readers));
                }
            }
            connection.commit();
            return rows;
        }
    }

    @Override
    public void close() {
        // each page closes its own connection
    }
}
