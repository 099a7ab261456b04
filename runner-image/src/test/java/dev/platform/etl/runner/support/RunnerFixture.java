package dev.platform.etl.runner.support;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.cli.EtlRunner;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.pipeline.PipelineBuilder;
import dev.platform.etl.testkit.postgres.Gate;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import dev.platform.etl.testkit.postgres.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh database with the demo schema, manifests written to files, and the runner's command
 * line run against them: in this JVM, or as a child JVM like a pod.
 */
public final class RunnerFixture {
    /**
     * The films, each passing {@code content.gate} (see {@link #gateReaderAt}). The gate's cost
     * keeps every page an index scan in id order, so it runs only for the rows a page returns: a
     * seq scan would run it for every film while reading the first page.
     */
    public static final String GATED_FILM_QUERY = "SELECT id, title, modified FROM content.film_work WHERE content.gate(id, title)";

    public static final String ALLOWED_TABLES = "analytics.film_dim,analytics.values_copy,analytics.price_by_code";

    private final TestDatabase database;
    private final Path directory;
    private final Path secrets;
    private final Map<String, String> environment = new HashMap<>();

    private RunnerFixture(TestDatabase database, Path directory) throws IOException {
        this.database = database;
        this.directory = directory;
        this.secrets = directory.resolve("secrets.yaml");
        Files.writeString(secrets, secretsYaml(database));
        environment.put(Allowlist.POSTGRES_TABLES_ENV, ALLOWED_TABLES);
    }

    /** A new database holding the demo schema and {@code films} deterministic films. */
    public static RunnerFixture withFilms(Path directory, int films) {
        try {
            RunnerFixture fixture = new RunnerFixture(SharedPostgres.get().freshDatabase(), directory);
            try (Connection connection = fixture.connect()) {
                DemoData.reset(connection, films);
            }
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestDatabase database() {
        return database;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Connection connect() throws SQLException {
        return database.connect();
    }

    /** Writes the pipeline's manifest for {@code --pipeline}, named after it. */
    public Path writePipeline(PipelineBuilder pipeline) {
        return writePipeline(pipeline.build().getMetadata().getName(), pipeline.yaml());
    }

    public Path writePipeline(String name, String yaml) {
        try {
            return Files.writeString(directory.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code etl-runner run -f pipeline -f secrets [extra...]}, in this JVM. */
    public RunOutput run(Path pipeline, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-f", pipeline.toString(), "-f", secrets.toString()));
        args.addAll(List.of(extra));
        return cli(args.toArray(String[]::new));
    }

    /** Any command of the runner's CLI, in this JVM. */
    public RunOutput cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new EtlRunner(Map.copyOf(environment), false).commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new RunOutput(exit, out.toString(), err.toString());
    }

    /** Adds query parameters to the jdbcUrl of Secret {@code source-db} or {@code target-db}. */
    public void addUrlParameters(String secretName, String parameters) {
        try {
            Matcher url = Pattern.compile("(name: " + Pattern.quote(secretName) + ",[^\n]*\nstringData:\n  jdbcUrl: \"[^\"?]*)\\??")
                    .matcher(Files.readString(secrets));
            if (!url.find()) {
                throw new IllegalArgumentException("no Secret " + secretName);
            }
            Files.writeString(secrets, url.replaceFirst(Matcher.quoteReplacement(url.group(1)) + "?" + parameters + "&"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the Secret {@code search} (key {@code url}) for an Elasticsearch target, and allows writing the index. */
    public void allowElasticsearch(String url, String index) throws IOException {
        Files.writeString(secrets, """
                apiVersion: v1
                kind: Secret
                metadata: {name: search, namespace: etl-test}
                stringData: {url: "%s"}
                ---
                """.formatted(url) + Files.readString(secrets));
        environment.put(Allowlist.ELASTICSEARCH_INDICES_ENV, index);
    }

    /** {@link #allowElasticsearch}, with the index deleted first: each test starts from no index. */
    public SearchIndex withElasticsearch(String url, String index) throws Exception {
        allowElasticsearch(url, index);
        SearchIndex searchIndex = new SearchIndex(url, index);
        searchIndex.delete();
        return searchIndex;
    }

    /** Starts {@code etl-runner run} as a child JVM, as a pod would run it. */
    public RunnerProcess startProcess(Path pipeline, List<String> jvmOptions, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-f", pipeline.toString(), "-f", secrets.toString()));
        args.addAll(List.of(extra));
        return RunnerProcess.start(jvmOptions, args, environment, directory);
    }

    /** The control database's URL with credentials, as {@code --control-db} takes it. */
    public String controlDbUrl() {
        return database.jdbcUrlWithCredentials();
    }

    public long count(String sql) throws SQLException {
        return database.count(sql);
    }

    public String text(String sql) throws SQLException {
        return database.text(sql);
    }

    public List<String> strings(String sql) throws SQLException {
        return database.strings(sql);
    }

    public void execute(String sql) throws SQLException {
        database.execute(sql);
    }

    /** See {@link TestDatabase#expireLeases}. */
    public void expireLeases() throws SQLException {
        database.expireLeases();
    }

    public void logTargetWrites() throws SQLException {
        database.logTargetWrites();
    }

    public void slowTargetWrites(int millis) throws SQLException {
        database.slowTargetWrites(millis);
    }

    public void stallTargetWriteOf(String filmId, long gateKey) throws SQLException {
        database.stallTargetWriteOf(filmId, gateKey);
    }

    /**
     * Makes {@code content.gate(id, title)} true, waiting at gate {@code gateKey} while it reads
     * the film {@code filmId} when {@code condition} (on {@code title}) holds: a reader of
     * {@link #GATED_FILM_QUERY} stalls there.
     */
    public void gateReaderAt(String filmId, String condition, long gateKey) throws SQLException {
        execute("""
                CREATE FUNCTION content.gate(film uuid, title text) RETURNS boolean LANGUAGE plpgsql VOLATILE COST 1000000 AS $$
                BEGIN
                  IF film = '%s' AND %s THEN %s END IF;
                  RETURN true;
                END $$""".formatted(filmId, condition, Gate.passSql(gateKey)));
    }

    public Gate closedGate(long key) throws SQLException {
        return database.closedGate(key);
    }

    /** The committed batches of the pipeline's active run, or -1 when it has none. */
    public long runningBatches(String pipeline) throws SQLException {
        return database.runningBatches(pipeline);
    }

    /** A checksum over every row of the table, in key order: equal checksums, equal contents. */
    public String checksum(String table, String orderBy) throws SQLException {
        return text("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY " + orderBy + "), '')) FROM " + table + " t");
    }

    private static String secretsYaml(TestDatabase database) {
        StringBuilder yaml = new StringBuilder();
        for (String name : List.of("source-db", "target-db")) {
            yaml.append("""
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: %s, namespace: etl-test}
                    stringData:
                      jdbcUrl: "%s"
                      username: "%s"
                      password: "%s"
                    ---
                    """.formatted(name, database.jdbcUrl(), database.username(), database.password() == null ? "" : database.password()));
        }
        return yaml.toString();
    }
}
