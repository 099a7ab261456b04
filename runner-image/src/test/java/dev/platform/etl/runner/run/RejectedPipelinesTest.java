package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.FILM_QUERY;
import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import dev.platform.etl.testkit.pipeline.PipelineBuilder;
import dev.platform.etl.testkit.postgres.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tasks v1 rules and the allowlist: rejected pipelines exit 2 and touch nothing;
 * a reader that fails exits 1 with PostgreSQL's message, recorded, and writes nothing.
 */
class RejectedPipelinesTest {
    @TempDir
    Path dir;

    private RunnerFixture fixture;
    private String targetBefore;

    @BeforeEach
    void loadTargetOnce() throws Exception {
        fixture = RunnerFixture.withFilms(dir, 10);
        RunOutput setup = fixture.run(fixture.writePipeline(filmDim("valid").batchSize(100)));
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        fixture.execute("UPDATE content.film_work SET title = 'changed since the last load'");
        targetBefore = fixture.checksum("analytics.film_dim", "film_id");
    }

    @Test
    void aReaderThatIsNotFirstIsInvalidAndTouchesNothing() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline("reader-second", """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: reader-second, namespace: etl-test}
                spec:
                  source: {postgres: {secretRef: source-db}}
                  tasks:
                    - transform: {rename: {id: film_id}}
                    - sqlReader: {query: "SELECT id, title FROM content.film_work"}
                  target:
                    postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}
                """));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message())
                .contains("spec.tasks[0]: the first task must be a sqlReader")
                .contains("spec.tasks[1].sqlReader: only the first task may be a sqlReader");
        assertNothingTouched("reader-second");
    }

    @Test
    void aTargetOverrideOnATaskThatIsNotLastIsInvalid() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline("override", """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: override, namespace: etl-test}
                spec:
                  source: {postgres: {secretRef: source-db}}
                  tasks:
                    - sqlReader: {query: "SELECT id, title FROM content.film_work"}
                    - transform: {rename: {id: film_id}}
                      target: {postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}}
                    - transform: {set: {source_system: x}}
                  target:
                    postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}
                """));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.tasks[1].target: a target override is allowed only on the last task");
        assertNothingTouched("override");
    }

    @Test
    void aTargetTableOutsideTheAllowlistIsInvalidAndNothingIsWritten() throws Exception {
        fixture.execute("CREATE TABLE analytics.film_secret (LIKE analytics.film_dim INCLUDING ALL)");
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("forbidden").batchSize(100)
                .query(FILM_QUERY).transform(Transform.rename("id", "film_id").andDrop("type")).postgresTarget("analytics.film_secret", "film_id")));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.target.postgres.table: 'analytics.film_secret' is not in the allowlist");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_secret")).isZero();
        assertNothingTouched("forbidden");
    }

    @Test
    void aReaderColumnMissingFromTheOutputIsInvalidNamingTheField() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("bad-key").batchSize(100)
                .query("SELECT id AS film_id, title FROM content.film_work").postgresTarget("analytics.film_dim", "id")));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.target.postgres.keyColumns[0]: column 'id' is not in the rows written");
        assertNothingTouched("bad-key");
    }

    @Test
    void anUnknownSourceTableFailsWithPostgresMessageRecordedAndNothingWritten() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("unknown-table").batchSize(100)
                .query("SELECT id AS film_id, title FROM content.no_such_table")
                .postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.result()).isEqualTo("FAILED");
        assertThat(run.message()).contains("42P01").contains("relation \"content.no_such_table\" does not exist");
        assertThat(fixture.text("SELECT status || ': ' || error FROM etl.pipeline_run WHERE pipeline = 'etl-test/unknown-table'"))
                .startsWith("FAILED: ")
                .contains("relation \"content.no_such_table\" does not exist");
        assertThat(fixture.checksum("analytics.film_dim", "film_id")).isEqualTo(targetBefore);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
    }

    @Test
    void theReaderCannotModifyTheSource() throws Exception {
        long films = fixture.count("SELECT count(*) FROM content.film_work");
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("deleting-reader").batchSize(100)
                .query("WITH d AS (DELETE FROM content.film_work RETURNING *) SELECT id AS film_id, title FROM d")
                .postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.message()).as("refused as the subquery every reader runs in").contains("data-modifying statement");
        assertThat(fixture.count("SELECT count(*) FROM content.film_work")).isEqualTo(films);
        assertThat(fixture.checksum("analytics.film_dim", "film_id")).isEqualTo(targetBefore);
    }

    @Test
    void aReaderCallingAFunctionThatWritesFailsInItsReadOnlyTransaction() throws Exception {
        fixture.execute("CREATE SEQUENCE content.film_counter");
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("writing-function").batchSize(100)
                .query("SELECT id AS film_id, title FROM content.film_work WHERE nextval('content.film_counter') > 0")
                .postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.message()).contains("read-only transaction");
        assertThat(fixture.text("SELECT last_value || ' ' || is_called FROM content.film_counter")).as("never advanced").isEqualTo("1 false");
        assertThat(fixture.checksum("analytics.film_dim", "film_id")).isEqualTo(targetBefore);
    }

    @Test
    void aReadLongerThanTheStatementTimeoutIsCancelledAndWritesNothing() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline("slow-reader",
                slowReader("slow-reader", "source-db", "SELECT f.id AS film_id, f.title FROM content.film_work f, pg_sleep(5)")));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.result()).isEqualTo("FAILED");
        assertThat(run.message()).contains("canceling statement due to statement timeout");
        assertThat(fixture.checksum("analytics.film_dim", "film_id")).isEqualTo(targetBefore);
    }

    @Test
    void aSourceUrlWithItsOwnOptionsKeepsTheStatementTimeout() throws Exception {
        TestDatabase database = fixture.database();
        // the unqualified table is found through the URL's search_path
        String pipeline = slowReader("own-options", "source-with-options", "SELECT f.id AS film_id, f.title FROM film_work f, pg_sleep(5)")
                + """
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: source-with-options, namespace: etl-test}
                stringData: {jdbcUrl: "%s%soptions=-c%%20search_path%%3Dcontent", username: "%s", password: "%s"}
                """.formatted(database.jdbcUrl(), database.jdbcUrl().contains("?") ? "&" : "?", database.username(),
                        database.password() == null ? "" : database.password());
        RunOutput run = fixture.run(fixture.writePipeline("own-options", pipeline));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.message()).contains("canceling statement due to statement timeout");
        assertThat(fixture.checksum("analytics.film_dim", "film_id")).isEqualTo(targetBefore);
    }

    /** A full load whose reader may run one second per statement. */
    private static String slowReader(String name, String sourceSecret, String query) {
        return pipeline(name).source(sourceSecret).batchSize(100).statementTimeout("1s").query(query)
                .postgresTarget("analytics.film_dim", "film_id").yaml();
    }

    @Test
    void anUnexpectedErrorStillEndsWithTheSummaryAndExit1() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(filmDim("bad-url").batchSize(100)),
                "--control-db", "postgres://localhost/not-a-jdbc-url");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.result()).isEqualTo("FAILED");
        assertThat(run.summary().path("pipeline").asText()).isEqualTo("etl-test/bad-url");
        assertThat(run.message()).contains("No suitable driver");
        assertThat(fixture.checksum("analytics.film_dim", "film_id")).isEqualTo(targetBefore);
    }

    @Test
    void aHeartbeatNotShorterThanTheLeaseIsInvalid() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(filmDim("slow-heartbeat").batchSize(100)),
                "--lease-ttl", "5s", "--heartbeat", "5s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains("the heartbeat (5000 ms) must be shorter than the lease TTL (5000 ms)");
        assertNothingTouched("slow-heartbeat");
    }

    @Test
    void anUnnamedReaderColumnIsInvalidWithTheFixInTheMessage() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("unnamed").batchSize(100)
                .query("SELECT id AS film_id, title, 1 FROM content.film_work").postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.tasks[0].sqlReader.query: the output column '?column?' has no usable name")
                .contains("SELECT 1 AS one");
        assertNothingTouched("unnamed");
    }

    /** Each way a reader runs: one streamed statement, keyset pages of a full load, keyset pages of an incremental one. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Full streamed", "Full in pages", "Incremental"})
    void aReaderOfSeveralStatementsIsInvalidAndNoStatementOfItRuns(String path) throws Exception {
        long films = fixture.count("SELECT count(*) FROM content.film_work");
        String victim = fixture.text("SELECT id::text FROM content.film_work ORDER BY id LIMIT 1");
        PipelineBuilder pipeline = pipeline("two-statements").batchSize(100)
                .query(FILM_QUERY + "; COMMIT; DELETE FROM content.film_work WHERE id = '" + victim + "'").transform(Transform.rename("id", "film_id").andDrop("type"))
                .postgresTarget("analytics.film_dim", "film_id");
        switch (path) {
            case "Full in pages" -> pipeline.tieBreaker("id");
            case "Incremental" -> pipeline.incremental("modified", "id");
            default -> { }
        }
        RunOutput run = fixture.run(fixture.writePipeline(pipeline));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains("spec.tasks[0].sqlReader.query: must be exactly one SELECT statement");
        assertThat(fixture.count("SELECT count(*) FROM content.film_work")).as("the source keeps every row").isEqualTo(films);
        assertNothingTouched("two-statements");
    }

    @Test
    void aReaderThatClosesTheSubqueryItselfCannotSmuggleAStatementOut() throws Exception {
        long films = fixture.count("SELECT count(*) FROM content.film_work");
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("smuggler").batchSize(100)
                .query("SELECT id AS film_id, title FROM content.film_work) AS x; DELETE FROM content.film_work; SELECT * FROM (SELECT 1")
                .postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.message()).contains("must be exactly one SELECT statement");
        assertThat(fixture.count("SELECT count(*) FROM content.film_work")).isEqualTo(films);
        assertNothingTouched("smuggler");
    }

    private void assertNothingTouched(String pipeline) throws Exception {
        assertThat(fixture.checksum("analytics.film_dim", "film_id")).isEqualTo(targetBefore);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE pipeline = 'etl-test/" + pipeline + "'")).isZero();
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_state WHERE pipeline = 'etl-test/" + pipeline + "'")).isZero();
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
    }
}
