package dev.platform.etl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code make bench PEERS=1}: two tools users compare us with, on the same films in the same run,
 * each timed from its process's start to its end and verified by count and checksum like the
 * runner: sling (its binary, published on PyPI as sling-linux-amd64) and dlt with the connectorx
 * backend, merging by key. Both come from a virtual environment the bench creates under
 * tools/bench/target/peers, with pinned versions. Without Python 3 and pip, or without PyPI, the bench
 * says why and goes on without them.
 */
final class Peers {
    private static final List<String> PACKAGES = List.of("sling-linux-amd64==1.4.11", "dlt[postgres,sql-database]==1.31.0", "connectorx==0.4.6",
            "pyarrow==21.0.0");
    private static final Path VENV = Path.of("tools", "bench", "target", "peers");
    private static final long TIMEOUT_MINUTES = 20;
    /** The films as both peers read them: dlt cannot merge on a uuid key, so the key is text for both. */
    private static final String SOURCE_VIEW = """
            CREATE SCHEMA IF NOT EXISTS bench_peers;
            CREATE OR REPLACE VIEW bench_peers.film_source AS
              SELECT id::text AS film_id, title, description, creation_date, rating, modified, 'films'::text AS source_system
                FROM content.film_work""";
    /** Count and checksum of a table of films, whatever types a tool gave its columns. */
    private static final String CHECKSUM = """
            SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', film_id::text, title, description, creation_date::date::text,
                                                           round(rating::numeric, 1)::text,
                                                           to_char(modified::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')),
                                                 ',' ORDER BY film_id::text))
              FROM %s""";

    private Peers() {
    }

    /** Whether {@code PEERS=1} asked for the peers. */
    static boolean requested() {
        return "1".equals(System.getenv("PEERS"));
    }

    /**
     * Runs sling and dlt on the database's films and returns their seconds and whether each one's
     * target matched the source; empty, having said why, when the peers cannot be installed.
     */
    static Optional<Map<String, Object>> measure(Connection database, String postgresUrl, Path work) throws Exception {
        Optional<String> missing = install(work);
        if (missing.isPresent()) {
            System.out.println("  peers skipped: " + missing.get());
            return Optional.empty();
        }
        try (Statement statement = database.createStatement()) {
            statement.execute(SOURCE_VIEW);
            statement.execute("DROP SCHEMA IF EXISTS bench_sling CASCADE; CREATE SCHEMA bench_sling; DROP SCHEMA IF EXISTS bench_dlt CASCADE");
        }
        String expected = checksum(database, "bench_peers.film_source");
        Map<String, Object> results = new LinkedHashMap<>();
        Path sling = slingBinary().orElseThrow(() -> new IllegalStateException("the sling-linux-amd64 package holds no sling binary"));
        results.put("sling", timedAndVerified("sling", List.of(sling.toString(), "run", "--src-conn", "BENCH_PG", "--src-stream",
                "select * from bench_peers.film_source", "--tgt-conn", "BENCH_PG", "--tgt-object", "bench_sling.film_dim",
                "--mode", "full-refresh"), Map.of("BENCH_PG", postgresUrl + "?sslmode=disable", "SLING_HOME_DIR", work.resolve("sling").toString()),
                work, database, "bench_sling.film_dim", expected));
        results.put("dltConnectorx", timedAndVerified("dlt", List.of(python().toString(), Path.of("tools", "bench", "peers", "dlt_load.py").toString()),
                Map.of("BENCH_POSTGRES_URL", postgresUrl, "BENCH_DLT_DIR", work.resolve("dlt").toString(), "RUNTIME__LOG_LEVEL", "WARNING"),
                work, database, "bench_dlt.film_dim", expected));
        return Optional.of(results);
    }

    /** The runner's own target, checked the same way. */
    static boolean matches(Connection database, String table) throws Exception {
        return checksum(database, table).equals(checksum(database, "bench_peers.film_source"));
    }

    private static Map<String, Object> timedAndVerified(String name, List<String> command, Map<String, String> environment, Path work,
                                                        Connection database, String target, String expected) throws Exception {
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish in " + TIMEOUT_MINUTES + " minutes; see " + log);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + Files.readString(log));
        }
        String found = checksum(database, target);
        boolean exact = found.equals(expected);
        System.out.printf("  %s: %.1f s with process start; %s %s%n", name, seconds, target,
                exact ? "matches the source (count and checksum)" : "DIFFERS from the source: " + found + " against " + expected);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("seconds", seconds);
        result.put("exact", exact);
        return result;
    }

    private static String checksum(Connection database, String table) throws Exception {
        try (Statement statement = database.createStatement(); var rs = statement.executeQuery(CHECKSUM.formatted(table))) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Creates the virtual environment and installs the pinned packages, unless it has them; what is missing, if anything. */
    private static Optional<String> install(Path work) throws Exception {
        Path installed = VENV.resolve("installed");
        if (Files.exists(installed) && Files.readString(installed).equals(String.join("\n", PACKAGES))) {
            return Optional.empty();
        }
        Optional<String> failure = run(List.of("python3", "-m", "venv", VENV.toString()), work, "venv");
        if (failure.isPresent()) {
            return Optional.of("no Python 3 with venv (" + failure.get() + ")");
        }
        List<String> pip = new ArrayList<>(List.of(python().toString(), "-m", "pip", "install", "--quiet"));
        pip.addAll(PACKAGES);
        failure = run(pip, work, "pip");
        if (failure.isPresent()) {
            return Optional.of("pip could not install " + PACKAGES + " (" + failure.get() + ")");
        }
        Files.writeString(installed, String.join("\n", PACKAGES));
        return Optional.empty();
    }

    private static Optional<String> run(List<String> command, Path work, String name) throws IOException, InterruptedException {
        Path log = work.resolve(name + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return Optional.of("timed out; see " + log);
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("exit " + process.exitValue() + ": " + Files.readString(log).strip().lines().reduce((a, b) -> b).orElse(""));
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Path python() {
        return VENV.resolve("bin").resolve("python");
    }

    private static Optional<Path> slingBinary() throws IOException {
        try (Stream<Path> files = Files.walk(VENV.resolve("lib"))) {
            return files.filter(p -> p.getFileName().toString().equals("sling-linux-amd64") && Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
        }
    }
}
