package dev.platform.etl.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.bench.report.PerformancePage;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.elasticsearch.ElasticsearchServer;
import dev.platform.etl.testkit.postgres.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code make bench}: the runner against the ceilings of a client-side mover, on BENCH_ROWS films
 * (1,000,000 by default), side by side. Measured once, printed as a table and written to
 * tools/bench/results/*.json. A benchmark, never a test: nothing here passes or fails.
 */
public final class Benchmark {
    /** The batch of the parallel loads: large enough that the ranges' own work, not round trips, sets the pace. */
    private static final int PARALLEL_BATCH = 10_000;
    /** The runner's batch beside the peers: a bulk load's. */
    private static final int PEERS_BATCH = 10_000;
    private static final String QUERY = "SELECT id, title, description, creation_date, rating, type, modified FROM content.film_work";
    private static final String INDEX = "film_dim";
    private static final String ELASTICSEARCH_TARGET = "elasticsearch: {secretRef: search, index: film_dim, idColumn: film_id}";
    static final String POSTGRES_TARGET = "postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}";

    private final Path work;
    private final PostgresServer postgres;
    private final ElasticsearchServer elasticsearch;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final PostgresLoads postgresLoads;
    private final Map<String, String> environment = Map.of(
            Allowlist.POSTGRES_TABLES_ENV, DemoData.TARGET_TABLE, Allowlist.ELASTICSEARCH_INDICES_ENV, INDEX);

    private final BenchSettings settings;

    private Benchmark(Path work, PostgresServer postgres, ElasticsearchServer elasticsearch, BenchSettings settings) {
        this.work = work;
        this.postgres = postgres;
        this.elasticsearch = elasticsearch;
        this.settings = settings;
        this.postgresLoads = new PostgresLoads(postgres, emptyTarget -> reset("bench", emptyTarget));
    }

    public static void main(String[] args) throws Exception {
        run(BenchSettings.fromEnvironment(System.getenv()));
    }

    /** Starts the databases, measures every case of {@code settings} and writes the result: its file. */
    public static Path run(BenchSettings settings) throws Exception {
        Path work = Files.createTempDirectory("etl-bench");
        System.out.println("Starting PostgreSQL and Elasticsearch; " + settings.rows() + " source rows");
        try (PostgresServer postgres = PostgresServer.start(); ElasticsearchServer elasticsearch = ElasticsearchServer.start()) {
            return new Benchmark(work, postgres, elasticsearch, settings).measure();
        }
    }

    private Path measure() throws Exception {
        int rows = settings.rows();
        List<Integer> batchSizes = settings.batchSizes();
        results.put("machine", Machine.describe());
        results.put("rows", rows);
        results.put("cases", BenchSettings.CASES.stream().filter(settings::measures).toList());
        Path secrets = prepare("bench", rows);
        if (settings.measures("postgres")) {
            double startCpu = runnerFullLoad(prepare("bench_empty", 0), batchSizes.get(0), POSTGRES_TARGET, true, RunnerJvm.POD_HEAP).cpuSeconds();
            results.put("postgresToPostgres", postgresLoads.measure(batchSizes, rows,
                    (batch, emptyTarget) -> runnerFullLoad(secrets, batch, POSTGRES_TARGET, true, emptyTarget, RunnerJvm.POD_HEAP), startCpu));
        }
        if (settings.measures("elasticsearch")) {
            results.put("postgresToElasticsearch", new ElasticsearchLoads(postgres, elasticsearch.url(), INDEX, this::deleteIndex)
                    .measure(batchSizes, rows, batch -> runnerFullLoad(secrets, batch, ELASTICSEARCH_TARGET, false, RunnerJvm.POD_HEAP)));
        }
        if (settings.measures("incremental")) {
            results.put("incrementalAfterOneTouch", incrementalAfterOneTouch(secrets));
        }
        if (settings.measures("memory")) {
            results.put("peakRssMiBWith64MiBHeap", flatMemory(secrets, rows));
        }
        if (settings.measures("deletes")) {
            // on a database of its own: the source rows it deletes would change every later case
            results.put("deleteMissing", deleteMissing("bench_deletes", rows));
        }
        if (settings.measures("reload")) {
            results.put("aliasReload", aliasReload(secrets, rows));
        }
        if (Peers.requested()) {
            peers(secrets, rows).ifPresent(peers -> results.put("peers", peers));
        }
        if (settings.measures("parallel")) {
            try (Connection server = postgres.connect("bench")) {
                results.put("parallelFullLoad@" + PARALLEL_BATCH, ParallelLoads.measure(this::parallelPipeline, secrets, environment, work, server, rows));
            }
        }
        if (settings.measures("start")) {
            prepare("bench_start", 5_000);
            StartLatency.measure(postgres.jdbcUrl("bench_start"), work, settings.startRounds(), () -> reset("bench_start", true))
                    .ifPresent(start -> results.put("startToFirstBatch", start));
        }
        return report();
    }

    /**
     * A full load that mirrors the source ({@code deleteMissing}) against a plain one, both into a
     * full target, after 1% of the source rows were deleted: what remembering the keys and
     * deleting the rest costs.
     */
    private Map<String, Object> deleteMissing(String database, int rows) throws Exception {
        Path secrets = prepare(database, rows);
        int batch = 2_000;
        runnerFullLoad(secrets, batch, POSTGRES_TARGET, true, RunnerJvm.POD_HEAP);
        // from here on the target stays full (postgresTarget false: not truncated), as a nightly mirror finds it
        RunnerJvm.Measurement plain = runnerFullLoad(secrets, batch, POSTGRES_TARGET, false, RunnerJvm.POD_HEAP);
        int deleted;
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement()) {
            deleted = statement.executeUpdate("DELETE FROM content.film_work WHERE id IN (SELECT id FROM content.film_work TABLESAMPLE BERNOULLI (1))");
        }
        RunnerJvm.Measurement mirror = runnerFullLoad(secrets, batch,
                POSTGRES_TARGET.replace("keyColumns: [film_id]}", "keyColumns: [film_id], deleteMissing: true}"), false, RunnerJvm.POD_HEAP);
        long left;
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + DemoData.TARGET_TABLE)) {
            rs.next();
            left = rs.getLong(1);
        }
        System.out.printf("  deleteMissing: %d source rows deleted, %d target rows left; plain %.1f s, mirror %.1f s%n", deleted, left,
                plain.runnerSeconds(), mirror.runnerSeconds());
        return Map.of("sourceRowsDeleted", deleted, "targetRowsAfter", left, "plainRowsPerSecond", rows / plain.runnerSeconds(),
                "mirrorRowsPerSecond", (rows - deleted) / mirror.runnerSeconds(), "mirrorToPlainRatio", plain.runnerSeconds() / mirror.runnerSeconds());
    }

    /**
     * A full load into an index behind an alias (a fresh index, then the alias moved and the old
     * index deleted) against a plain full load into the index itself, at batch 2,000.
     */
    private Map<String, Object> aliasReload(Path secrets, int rows) throws Exception {
        int batch = 2_000;
        deleteIndex();
        RunnerJvm.Measurement plain = runnerFullLoad(secrets, batch, ELASTICSEARCH_TARGET,
                false, RunnerJvm.POD_HEAP);
        deleteIndex();
        String aliased = "elasticsearch: {secretRef: search, alias: film_dim, idColumn: film_id}";
        runnerFullLoad(secrets, batch, aliased, false, RunnerJvm.POD_HEAP);
        RunnerJvm.Measurement reload = runnerFullLoad(secrets, batch, aliased, false, RunnerJvm.POD_HEAP);
        System.out.printf("  alias reload: plain %.1f s, reload behind the alias %.1f s%n", plain.runnerSeconds(), reload.runnerSeconds());
        return Map.of("plainDocsPerSecond", rows / plain.runnerSeconds(), "reloadDocsPerSecond", rows / reload.runnerSeconds(),
                "reloadToPlainRatio", plain.runnerSeconds() / reload.runnerSeconds());
    }

    private Map<String, Object> flatMemory(Path secrets, int rows) throws Exception {
        Path small = prepare("bench_small", 10_000);
        RunnerJvm.Measurement tenThousand = runnerFullLoad(small, 500, POSTGRES_TARGET, true, RunnerJvm.SMALL_HEAP);
        RunnerJvm.Measurement all = runnerFullLoad(secrets, 500, POSTGRES_TARGET, true, RunnerJvm.SMALL_HEAP);
        return Map.of("at10000Rows", tenThousand.peakRssBytes() / 1048576.0, "at" + rows + "Rows", all.peakRssBytes() / 1048576.0);
    }

    private Path prepare(String database, int rows) throws Exception {
        try (Connection admin = postgres.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement()) {
            DemoData.reset(connection, rows);
            statement.execute("VACUUM ANALYZE");
            // an autovacuum of the target that starts in the middle of a case takes CPU from it at random
            statement.execute("ALTER TABLE " + DemoData.TARGET_TABLE + " SET (autovacuum_enabled = off, toast.autovacuum_enabled = off)");
        }
        Path secrets = work.resolve(database + "-secrets.yaml");
        StringBuilder yaml = new StringBuilder();
        for (String name : List.of("source-db", "target-db")) {
            yaml.append("apiVersion: v1\nkind: Secret\nmetadata: {name: %s, namespace: bench}\nstringData: {jdbcUrl: \"%s\", username: postgres}\n---\n"
                    .formatted(name, postgres.jdbcUrl(database)));
        }
        yaml.append("apiVersion: v1\nkind: Secret\nmetadata: {name: search, namespace: bench}\nstringData: {url: \"%s\"}\n".formatted(elasticsearch.url()));
        Files.writeString(secrets, yaml);
        return secrets;
    }

    private RunnerJvm.Measurement runnerFullLoad(Path secrets, int batch, String target, boolean postgresTarget, List<String> jvmOptions)
            throws Exception {
        return runnerFullLoad(secrets, batch, target, postgresTarget, postgresTarget, jvmOptions);
    }

    private RunnerJvm.Measurement runnerFullLoad(Path secrets, int batch, String target, boolean postgresTarget, boolean emptyTarget,
                                                 List<String> jvmOptions) throws Exception {
        String database = secrets.getFileName().toString().replace("-secrets.yaml", "");
        reset(database, emptyTarget);
        String name = "full-" + batch;
        String incremental = postgresTarget ? "  incremental: {tieBreakerColumn: id}\n" : "";
        String control = postgresTarget ? "" : "  control: {postgres: {secretRef: source-db}}\n";
        Path pipeline = Files.writeString(work.resolve(name + ".yaml"), pipeline(name, "Full", batch, incremental + control, target));
        RunnerJvm.Measurement measurement = RunnerJvm.run(pipeline, secrets, environment, work, jvmOptions);
        System.out.printf("  runner full load of %s, batch %d, into %s%s, %s: %.1f s inside, %.1f s total, CPU %.1f s, peak RSS %.0f MiB%n",
                database, batch, target.startsWith("postgres") ? "PostgreSQL" : "Elasticsearch", emptyTarget ? "" : " (full)", jvmOptions,
                measurement.runnerSeconds(),
                measurement.totalSeconds(), measurement.cpuSeconds(), measurement.peakRssBytes() / 1048576.0);
        return measurement;
    }

    /**
     * The runner, the staging pipeline and the peers (sling, dlt) on the same films into empty
     * targets, timed with their process's start, each target checked against the source.
     */
    private Optional<Map<String, Object>> peers(Path secrets, int rows) throws Exception {
        try (Connection database = postgres.connect("bench")) {
            // trust authentication on loopback checks no password, but dlt refuses credentials without one
            String url = "postgresql://" + PostgresServer.SUPERUSER + ":unchecked@" + postgres.jdbcUrl("bench").substring("jdbc:postgresql://".length());
            Optional<Map<String, Object>> peers = Peers.measure(database, url, work);
            if (peers.isEmpty()) {
                return peers;
            }
            Map<String, Object> results = new LinkedHashMap<>(peers.get());
            RunnerJvm.Measurement runner = runnerFullLoad(secrets, PEERS_BATCH, POSTGRES_TARGET, true, RunnerJvm.POD_HEAP);
            boolean exact = Peers.matches(database, DemoData.TARGET_TABLE);
            System.out.printf("  runner: %.1f s with JVM start, batch %d; %s%n", runner.totalSeconds(), PEERS_BATCH,
                    exact ? "its target matches the source (count and checksum)" : "its target DIFFERS from the source");
            results.put("runner", Map.of("seconds", runner.totalSeconds(), "exact", exact, "batch", PEERS_BATCH));
            results.put("copyPipelineSeconds", postgresLoads.timeCopyPipeline(true));
            results.put("rows", rows);
            return Optional.of(results);
        }
    }

    /** A resumable full load into an empty target, split into {@code ranges} ranges. */
    private Path parallelPipeline(int ranges) throws Exception {
        reset("bench", true);
        String name = "parallel-" + ranges;
        return Files.writeString(work.resolve(name + ".yaml"), pipeline(name, "Full", PARALLEL_BATCH,
                "  incremental: {tieBreakerColumn: id}\n  parallelism: " + ranges + "\n", POSTGRES_TARGET));
    }

    private Map<String, Object> incrementalAfterOneTouch(Path secrets) throws Exception {
        reset("bench", true);
        String target = "postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}";
        Path pipeline = Files.writeString(work.resolve("inc.yaml"),
                pipeline("inc", "Incremental", 10_000, "  incremental: {cursorColumn: modified, tieBreakerColumn: id}\n", target));
        RunnerJvm.run(pipeline, secrets, environment, work, RunnerJvm.POD_HEAP);
        try (Connection connection = postgres.connect("bench")) {
            DemoData.touchOne(connection);
        }
        RunnerJvm.Measurement touched = RunnerJvm.run(pipeline, secrets, environment, work, RunnerJvm.POD_HEAP);
        System.out.printf("  incremental run after one touch: %.3f s inside the runner, %.2f s with JVM start (read %d)%n",
                touched.runnerSeconds(), touched.totalSeconds(), touched.summary().path("rowsRead").asLong());
        return Map.of("insideRunnerSeconds", touched.runnerSeconds(), "totalSeconds", touched.totalSeconds(),
                "rowsRead", touched.summary().path("rowsRead").asLong());
    }

    private void reset(String database, boolean truncateTarget) throws Exception {
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS etl CASCADE");
            if (truncateTarget) {
                statement.execute("TRUNCATE analytics.film_dim");
            } else {
                // autovacuum is off: without this, each case into the full target would find the dead
                // row versions of every case before it, and upsert into a table and index twice as large
                statement.execute("VACUUM analytics.film_dim");
            }
            // the previous case's dirty pages are written now, not during the next one
            statement.execute("CHECKPOINT");
        }
    }

    private void deleteIndex() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/" + INDEX)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    static String pipeline(String name, String mode, int batch, String extra, String target) {
        return """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: %s, namespace: bench}
                spec:
                  mode: %s
                  batchSize: %d
                  source: {postgres: {secretRef: source-db}}
                %s  tasks:
                    - sqlReader: {query: "%s"}
                    - transform: {rename: {id: film_id}, drop: [type], set: {source_system: films}}
                  target:
                    %s
                """.formatted(name, mode, batch, extra, QUERY, target);
    }

    private Path report() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println();
        System.out.println(json.writeValueAsString(results));
        Path file = settings.resultsFolder().resolve(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.createDirectories(file.getParent());
        json.writeValue(file.toFile(), results);
        if (settings.resultsFolder().equals(BenchSettings.RESULTS)) {
            PerformancePage.write(Path.of("").toAbsolutePath());
            System.out.println("written to " + file + ", and " + PerformancePage.PAGE + " from the newest results");
        } else {
            System.out.println("written to " + file);
        }
        return file;
    }
}
