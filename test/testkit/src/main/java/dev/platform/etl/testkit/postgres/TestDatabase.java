package dev.platform.etl.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One database: where a test or the demo keeps its state, and the queries a test checks it with. */
public record TestDatabase(String jdbcUrl, String username, String password) {
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row as a number (a count). */
    public long count(String sql) throws SQLException {
        String value = text(sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The first column of the first row, or null when there is no row. */
    public String text(String sql) throws SQLException {
        List<String> values = strings(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The first column of every row. */
    public List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Every insert or update of the demo target leaves a line in {@code analytics.write_log}, so repeated writes show. */
    public void logTargetWrites() throws SQLException {
        execute("""
                CREATE TABLE analytics.write_log (film_id uuid, title text);
                CREATE FUNCTION analytics.log_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO analytics.write_log VALUES (NEW.film_id, NEW.title); RETURN NEW; END $$;
                CREATE TRIGGER log_write AFTER INSERT OR UPDATE ON analytics.film_dim
                   FOR EACH ROW EXECUTE FUNCTION analytics.log_write();
                """);
    }

    /** Makes every row written to the demo target take {@code millis}, so a run lasts long enough to interrupt. */
    public void slowTargetWrites(int millis) throws SQLException {
        execute("""
                CREATE FUNCTION analytics.slow_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(%s); RETURN NEW; END $$;
                CREATE TRIGGER slow_write BEFORE INSERT OR UPDATE ON analytics.film_dim
                   FOR EACH ROW EXECUTE FUNCTION analytics.slow_write();
                """.formatted(millis / 1000.0));
    }

    /**
     * Makes every write to the demo target fail as a full disk would (SQLSTATE 53100, which the
     * runner retries), until {@link #acceptTargetWrites()}: a run that fails mid-load, not one
     * found invalid before its first batch.
     */
    public void refuseTargetWrites() throws SQLException {
        execute("""
                CREATE FUNCTION analytics.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the target refuses writes' USING ERRCODE = 'disk_full'; END $$;
                CREATE TRIGGER refuse_write BEFORE INSERT OR UPDATE ON analytics.film_dim
                   FOR EACH ROW EXECUTE FUNCTION analytics.refuse_write();
                """);
    }

    public void acceptTargetWrites() throws SQLException {
        execute("DROP TRIGGER refuse_write ON analytics.film_dim");
    }

    /**
     * Expires every lease in the control schema at once, as a holder that stopped renewing would
     * see it expire: no renewal can extend it again, and the next claim takes it over. Tests cause
     * an expiry this way instead of waiting out a TTL, which a busy machine's heartbeat may miss.
     */
    public void expireLeases() throws SQLException {
        execute("UPDATE etl.pipeline_state SET lease_expires_at = '-infinity' WHERE lease_holder IS NOT NULL");
    }

    /**
     * What another runner's claim does the moment it gets the lease row: a new holder and a new
     * token (and an expiry already past, so that the next claim takes the row at once). Unlike an
     * expiry alone, which the holder may outrun while nobody claims, the former holder's next
     * fenced step fails for certain.
     *
     * <p>It first queues for the table itself. A holder in the middle of a batch keeps its row
     * lock until that batch commits; PostgreSQL may then give the row to the holder's next batch
     * rather than to a statement that waited on the row, but table locks are granted in the order
     * they were asked for, so the holder's next statement on the table comes after the takeover.
     */
    public void takeOverLeases() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE etl.pipeline_state IN SHARE ROW EXCLUSIVE MODE");
            statement.execute("UPDATE etl.pipeline_state SET lease_holder = 'test-takeover', lease_token = lease_token + 1,"
                    + " lease_expires_at = '-infinity' WHERE lease_holder IS NOT NULL");
            connection.commit();
        }
    }

    /** A closed gate, keyed by {@code key}, for work the test stalls where it wants (see {@link Gate}). */
    public Gate closedGate(long key) throws SQLException {
        return new Gate(this, key);
    }

    /**
     * Makes inserting one film into the demo target pass gate {@code gateKey}: while the test holds
     * that gate closed, the batch holding the film stalls in the middle of its transaction.
     */
    public void stallTargetWriteOf(String filmId, long gateKey) throws SQLException {
        execute("""
                CREATE FUNCTION analytics.stall() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN %s RETURN NEW; END $$;
                CREATE TRIGGER stall BEFORE INSERT ON analytics.film_dim
                   FOR EACH ROW WHEN (NEW.film_id = '%s') EXECUTE FUNCTION analytics.stall();
                """.formatted(Gate.passSql(gateKey), filmId));
    }

    /** The committed batches of the pipeline's active run, or -1 when it has none (or no control schema yet). */
    public long runningBatches(String pipeline) throws SQLException {
        if (text("SELECT to_regclass('etl.pipeline_run')::text") == null) {
            return -1;
        }
        String batches = text("SELECT batches::text FROM etl.pipeline_run WHERE pipeline = '" + pipeline + "' AND status = 'RUNNING'");
        return batches == null ? -1 : Long.parseLong(batches);
    }

    /** The URL with the credentials as parameters, as the runner's {@code --control-db} takes it. */
    public String jdbcUrlWithCredentials() {
        String separator = jdbcUrl.contains("?") ? "&" : "?";
        return jdbcUrl + separator + "user=" + username + (password == null || password.isEmpty() ? "" : "&password=" + password);
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + " as " + username + "]";
    }
}
