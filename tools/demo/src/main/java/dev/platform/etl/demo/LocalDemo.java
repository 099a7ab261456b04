package dev.platform.etl.demo;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.cli.EtlRunner;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The Makefile's local verbs: a demo PostgreSQL that keeps running between commands (its data in
 * {@code .demo/}), the example pipelines run against it, and the queries users check.
 */
@Command(name = "local-demo", mixinStandardHelpOptions = true, subcommands = {
        LocalDemo.Up.class, LocalDemo.Down.class, LocalDemo.Reset.class, LocalDemo.Touch.class, LocalDemo.LastRun.class,
        LocalDemo.IncState.class, LocalDemo.Run.class, LocalDemo.Control.class})
public final class LocalDemo {
    /** The demo's state: its database, Secrets and local cluster ({@code ETL_DEMO_DIR}, which the Makefile's {@code DEMO_DIR} sets). */
    static final Path STATE = Path.of(System.getenv().getOrDefault("ETL_DEMO_DIR", ".demo"));
    static final String DATABASE = "etl_demo";
    static final int FILMS = 2_000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalDemo()).execute(args));
    }

    /** Starts the demo database if it is not running, creating it with the demo data the first time. */
    static PostgresServer database() throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("ETL_DEMO_PG_PORT", "55432"));
        PostgresServer server = PostgresServer.startOrAttach(STATE.resolve("pgdata"), port);
        try (Connection admin = server.connect("postgres");
             PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = admin.createStatement()) {
                        create.execute("CREATE DATABASE " + DATABASE);
                    }
                    try (Connection demo = server.connect(DATABASE)) {
                        DemoData.reset(demo, FILMS);
                    }
                }
            }
        }
        Files.writeString(STATE.resolve("secrets.yaml"), DemoSecrets.yaml(server.jdbcUrl(DATABASE), PostgresServer.SUPERUSER, ""));
        return server;
    }

    static String controlDbUrl(PostgresServer server) {
        return server.jdbcUrl(DATABASE) + "?user=" + PostgresServer.SUPERUSER;
    }

    static void print(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                boolean any = false;
                while (rs.next()) {
                    any = true;
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        System.out.printf("%-14s %s%n", meta.getColumnLabel(i), rs.getString(i));
                    }
                    System.out.println();
                }
                if (!any) {
                    System.out.println("(nothing yet)");
                }
            }
        }
    }

    static String pipelineName(String name) {
        return name.contains("/") ? name : "etl-demo/" + name;
    }

    @Command(name = "db-up", description = "Start the demo database (created with demo data the first time).")
    static final class Up implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            PostgresServer server = database();
            System.out.println("demo database running: " + controlDbUrl(server));
            return 0;
        }
    }

    @Command(name = "db-down", description = "Stop the demo database; its data stays in .demo/.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            database().stop();
            return 0;
        }
    }

    @Command(name = "db-reset", description = "Recreate the demo data and forget every pipeline's state.")
    static final class Reset implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (Connection connection = database().connect(DATABASE); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS etl CASCADE");
                DemoData.reset(connection, FILMS);
            }
            System.out.println("demo data reset: " + FILMS + " films, empty target, no pipeline state");
            return 0;
        }
    }

    @Command(name = "db-touch", description = "UPDATE one film with modified = now().")
    static final class Touch implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (Connection connection = database().connect(DATABASE)) {
                System.out.println("touched film " + DemoData.touchOne(connection));
            }
            return 0;
        }
    }

    /** A query about one pipeline in the control schema, printed row by row. */
    abstract static class PipelineQuery implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        abstract String sql();

        @Override
        public Integer call() throws Exception {
            try (Connection connection = database().connect(DATABASE)) {
                print(connection, sql(), pipelineName(name));
            }
            return 0;
        }
    }

    @Command(name = "db-last-run", description = "The pipeline's latest row in etl.pipeline_run.")
    static final class LastRun extends PipelineQuery {
        @Override
        String sql() {
            return """
                    SELECT run_id, status, rows_read, rows_written, batches, started_at, finished_at, error
                      FROM etl.pipeline_run WHERE pipeline = ? ORDER BY id DESC LIMIT 1""";
        }
    }

    @Command(name = "db-inc-state", description = "The pipeline's row in etl.pipeline_state: checkpoint, pause flag, lease.")
    static final class IncState extends PipelineQuery {
        @Override
        String sql() {
            return """
                    SELECT checkpoint, full_load_checkpoint, pause_requested, lease_holder, lease_token, lease_expires_at, updated_at
                      FROM etl.pipeline_state WHERE pipeline = ?""";
        }
    }

    @Command(name = "run", description = "Run examples/NAME.yaml against the demo database.")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            database();
            Map<String, String> environment = Map.of(Allowlist.POSTGRES_TABLES_ENV, DemoData.TARGET_TABLE);
            return new EtlRunner(environment, true).commandLine().execute(
                    "run", "-f", Path.of("examples", name + ".yaml").toString(), "-f", STATE.resolve("secrets.yaml").toString());
        }
    }

    @Command(name = "control", description = "pause, resume or status of a pipeline in the demo database.")
    static final class Control implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "pause|resume|status")
        String verb;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            String url = controlDbUrl(database());
            return new EtlRunner(System.getenv(), false).commandLine().execute(verb, "--pipeline", pipelineName(name), "--control-db", url);
        }
    }
}
