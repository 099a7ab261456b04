package dev.platform.etl.demo;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.cli.EtlRunner;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.postgres.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * {@code make demo}: everything local. Starts an embedded PostgreSQL, creates the demo data, runs
 * the example full pipeline twice and the incremental one three times (all, nothing changed, one
 * row touched), prints what happened, and stops the database.
 */
public final class Demo {
    private static final int FILMS = 2_000;
    private static final String DATABASE = "etl_demo";

    private final Path examples;
    private final Path secrets;
    private final Connection connection;

    private Demo(Path examples, Path secrets, Connection connection) {
        this.examples = examples;
        this.secrets = secrets;
        this.connection = connection;
    }

    public static void main(String[] args) throws Exception {
        Path examples = Path.of(args.length > 0 ? args[0] : "examples");
        section("Starting an embedded PostgreSQL");
        try (PostgresServer server = PostgresServer.start()) {
            try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
            Path secrets = Files.createTempFile("etl-demo-secrets", ".yaml");
            Files.writeString(secrets, DemoSecrets.yaml(server.jdbcUrl(DATABASE), PostgresServer.SUPERUSER, ""));
            try (Connection connection = server.connect(DATABASE)) {
                new Demo(examples, secrets, connection).run();
            } finally {
                Files.deleteIfExists(secrets);
            }
            section("Stopping PostgreSQL");
        }
    }

    private void run() throws Exception {
        section("Demo data: " + FILMS + " films in " + DemoData.SOURCE_TABLE);
        DemoData.reset(connection, FILMS);

        section("Full pipeline film-dim, run 1");
        runPipeline("film-dim.yaml");
        section("Full pipeline film-dim, run 2 (same target: upserts, no duplicates)");
        runPipeline("film-dim.yaml");
        print("SELECT count(*) AS rows, count(DISTINCT film_id) AS distinct_keys FROM analytics.film_dim");
        print("SELECT film_id, title, rating, source_system, modified FROM analytics.film_dim ORDER BY film_id LIMIT 3");

        section("Incremental pipeline film-dim-inc, run 1 (everything is new)");
        runPipeline("film-dim-inc.yaml");
        section("Incremental pipeline film-dim-inc, run 2 (nothing changed: reads 0)");
        runPipeline("film-dim-inc.yaml");
        section("Touching one film (UPDATE ... SET modified = now()), then run 3: reads exactly that row");
        String touched = DemoData.touchOne(connection);
        runPipeline("film-dim-inc.yaml");
        print("SELECT film_id, title, modified FROM analytics.film_dim WHERE film_id = '" + touched + "'");

        section("etl.pipeline_run: one row per run");
        print("SELECT pipeline, status, rows_read, rows_written, batches, started_at::time(0) AS started FROM etl.pipeline_run ORDER BY id");
        print("SELECT pipeline, checkpoint FROM etl.pipeline_state ORDER BY pipeline");
    }

    private void runPipeline(String example) {
        StringWriter out = new StringWriter();
        Map<String, String> environment = Map.of(Allowlist.POSTGRES_TABLES_ENV, DemoData.TARGET_TABLE);
        int exit = new EtlRunner(environment, false).commandLine()
                .setOut(new PrintWriter(out, true))
                .execute("run", "-f", examples.resolve(example).toString(), "-f", secrets.toString());
        System.out.println("exit " + exit + ": " + out.toString().strip());
        if (exit != 0) {
            throw new IllegalStateException("the demo pipeline " + example + " did not succeed");
        }
    }

    private void print(String sql) throws SQLException {
        System.out.println("> " + sql);
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                header.append(i > 1 ? " | " : "  ").append(meta.getColumnLabel(i));
            }
            System.out.println(header);
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(i > 1 ? " | " : "  ").append(rs.getString(i));
                }
                System.out.println(row);
            }
        }
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
