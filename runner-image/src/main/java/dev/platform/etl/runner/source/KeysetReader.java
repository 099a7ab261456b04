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
    /** About what a row read so far takes, or 0 before the first page. */
    private long bytesPerRow;

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
        int pageRows = source.limit().rowsToFetch(bytesPerRow);
        List<Object[]> rows = new ArrayList<>(Math.min(pageRows, 10_000));
        PostgresSource.Read read = readPage(pageRows, rows);
        // a page cut short by the limit's bytes goes on with the next page, after its last row
        exhausted = read.ranOut() && rows.size() < pageRows;
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        bytesPerRow = Math.max(1, read.bytes() / rows.size());
        Checkpoint checkpoint = plan.checkpointAfter(rows.get(rows.size() - 1));
        last = checkpoint;
        return Optional.of(new SourceBatch(rows, checkpoint));
    }

    private PostgresSource.Read readPage(int pageRows, List<Object[]> rows) throws Exception {
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
            statement.setInt(parameter, pageRows);
            PostgresSource.Read read;
            try (ResultSet rs = statement.executeQuery()) {
                read = PostgresSource.readRows(rs, readers, pageRows, source.limit().bytes(), rows);
            }
            connection.commit();
            return read;
        }
    }

    @Override
    public void close() {
        // each page closes its own connection
    }
}
