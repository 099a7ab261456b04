package dev.platform.etl.runner.range;

import dev.platform.etl.runner.control.ControlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ranges of a parallel full load ({@code etl.full_load_range}). Every range's runner reads
 * them at its start; the first to find none computes and records them for all. Each change is
 * made under a lock on the pipeline's ranges, so two runners starting together agree on them, and
 * exactly one of the runners finishing the last ranges completes the load.
 */
public final class RangeStore {
    private final ControlDatabase control;

    public RangeStore(ControlDatabase control) {
        this.control = control;
    }

    /** Where to split the source: the tie-breaker values that end each range but the last, in order; empty for an empty source. */
    @FunctionalInterface
    public interface Splitter {
        List<String> splitPoints(int ranges) throws Exception;
    }

    private record Row(int index, int count, String lower, String upper, boolean done, String completedBy) {
    }

    /**
     * This range's bounds in the pipeline's current load. New ranges are computed when there are
     * none, when they were made for another count (spec.parallelism changed: the load starts over,
     * every range from its beginning), or when their load was completed by another run.
     */
    public RangeBounds boundsOf(String pipeline, LoadRange range, String runId, Splitter splitter) throws Exception {
        return control.inTransaction(transaction -> {
            lock(transaction, pipeline);
            List<Row> rows = read(transaction, pipeline);
            boolean current = rows.size() == range.count() && rows.stream().allMatch(r -> r.count() == range.count())
                    && rows.stream().allMatch(r -> r.completedBy() == null || r.completedBy().equals(runId));
            if (!current) {
                rows = split(range.count(), splitter.splitPoints(range.count()));
                replace(transaction, pipeline, rows);
            }
            Row row = rows.get(range.index());
            return new RangeBounds(row.lower(), row.upper(), row.done());
        });
    }

    /**
     * N ranges from N-1 split points: the first from the beginning, the last to the end. An empty
     * source gives the first range everything, and the others nothing to do.
     */
    private static List<Row> split(int count, List<String> points) {
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (points.isEmpty()) {
                rows.add(new Row(i, count, null, null, i > 0, null));
            } else {
                rows.add(new Row(i, count, i == 0 ? null : points.get(i - 1), i == count - 1 ? null : points.get(i), false, null));
            }
        }
        return rows;
    }

    /**
     * Records, in the caller's transaction, that this range has been read to its end. The call that
     * finds every range done completes the load: it returns true (once), and the ranges' checkpoints
     * are cleared, so the next load starts from the beginning.
     */
    public static boolean finish(Connection transaction, String pipeline, LoadRange range, String runId) throws SQLException {
        lock(transaction, pipeline);
        try (PreparedStatement statement = transaction.prepareStatement(
                "UPDATE etl.full_load_range SET done = true WHERE pipeline = ? AND range_index = ?")) {
            statement.setString(1, pipeline);
            statement.setInt(2, range.index());
            statement.executeUpdate();
        }
        List<Row> rows = read(transaction, pipeline);
        if (rows.isEmpty() || !rows.stream().allMatch(Row::done) || rows.stream().anyMatch(r -> r.completedBy() != null)) {
            return false;
        }
        try (PreparedStatement statement = transaction.prepareStatement(
                "UPDATE etl.full_load_range SET completed_by = ? WHERE pipeline = ?")) {
            statement.setString(1, runId);
            statement.setString(2, pipeline);
            statement.executeUpdate();
        }
        clearCheckpoints(transaction, pipeline);
        return true;
    }

    /** Serialises the changes to one pipeline's ranges, until the transaction ends. */
    private static void lock(Connection transaction, String pipeline) throws SQLException {
        try (PreparedStatement statement = transaction.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('etl.full_load_range ' || ?))")) {
            statement.setString(1, pipeline);
            statement.execute();
        }
    }

    private static List<Row> read(Connection transaction, String pipeline) throws SQLException {
        try (PreparedStatement statement = transaction.prepareStatement("""
                SELECT range_index, range_count, lower_bound, upper_bound, done, completed_by
                  FROM etl.full_load_range WHERE pipeline = ? ORDER BY range_index""")) {
            statement.setString(1, pipeline);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6)));
                }
            }
            return rows;
        }
    }

    /** New ranges start a new load: the checkpoints of the old one, ranged or not, no longer apply. */
    private static void replace(Connection transaction, String pipeline, List<Row> rows) throws SQLException {
        try (PreparedStatement statement = transaction.prepareStatement("DELETE FROM etl.full_load_range WHERE pipeline = ?")) {
            statement.setString(1, pipeline);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = transaction.prepareStatement("""
                INSERT INTO etl.full_load_range (pipeline, range_index, range_count, lower_bound, upper_bound, done)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            for (Row row : rows) {
                statement.setString(1, pipeline);
                statement.setInt(2, row.index());
                statement.setInt(3, row.count());
                statement.setString(4, row.lower());
                statement.setString(5, row.upper());
                statement.setBoolean(6, row.done());
                statement.addBatch();
            }
            statement.executeBatch();
        }
        clearCheckpoints(transaction, pipeline);
    }

    private static void clearCheckpoints(Connection transaction, String pipeline) throws SQLException {
        try (PreparedStatement statement = transaction.prepareStatement("""
                UPDATE etl.pipeline_state SET full_load_checkpoint = NULL, updated_at = now()
                 WHERE (pipeline = ? OR starts_with(pipeline, ? || '#')) AND full_load_checkpoint IS NOT NULL""")) {
            statement.setString(1, pipeline);
            statement.setString(2, pipeline);
            statement.executeUpdate();
        }
    }
}
