package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full pipelines are idempotent: running one again leaves the target identical. */
class FullLoadTest {
    private static final int FILMS = 21;

    @TempDir
    Path dir;

    @Test
    void runningTheSameFullPipelineTwiceLeavesAnIdenticalTargetWithoutDuplicates() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        Path pipeline = fixture.writePipeline("full", filmDim("full-idempotency").batchSize(2).yaml());

        RunOutput first = fixture.run(pipeline);
        String afterFirst = fixture.checksum("analytics.film_dim", "film_id");
        RunOutput second = fixture.run(pipeline);
        String afterSecond = fixture.checksum("analytics.film_dim", "film_id");

        for (RunOutput run : new RunOutput[] {first, second}) {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.result()).isEqualTo("SUCCEEDED");
            assertThat(run.rowsRead()).isEqualTo(FILMS);
            assertThat(run.rowsWritten()).isEqualTo(FILMS);
            assertThat(run.summary().path("batches").asLong()).isEqualTo(11);
        }
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(DISTINCT film_id) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(afterSecond).isEqualTo(afterFirst);
        assertThat(fixture.count("""
                SELECT count(*) FROM etl.pipeline_run
                 WHERE pipeline = 'etl-test/full-idempotency' AND status = 'SUCCEEDED'
                   AND rows_read = 21 AND rows_written = 21 AND batches = 11""")).isEqualTo(2);
    }

    /** A table of the staging table's name in a schema the target's search_path puts before pg_temp gets no row. */
    @Test
    void batchesAreStagedInTheSessionsOwnTableWhateverTheTargetsSearchPath() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.execute("""
                INSERT INTO analytics.film_dim (film_id, title) SELECT id, 'stale' FROM content.film_work;
                CREATE SCHEMA mart;
                CREATE TABLE mart.etl_staging_batch AS SELECT * FROM analytics.film_dim WITH NO DATA;""");
        fixture.addUrlParameters("target-db", "options=-c%20search_path%3Dmart,pg_temp");

        RunOutput run = fixture.run(fixture.writePipeline("full", filmDim("search-path").batchSize(5).tieBreaker("id").yaml()));

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim WHERE title = 'stale'")).as("every row upserted").isZero();
        assertThat(fixture.count("SELECT count(*) FROM mart.etl_staging_batch")).isZero();
    }

    @Test
    void keysFoundInTheTableMidwayAreUpdatedAndEveryRowIsWrittenOnce() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.execute("""
                INSERT INTO analytics.film_dim (film_id, title)
                SELECT id, 'stale' FROM content.film_work ORDER BY id DESC LIMIT 5""");
        fixture.logTargetWrites();

        RunOutput run = fixture.run(fixture.writePipeline("full", filmDim("midway").batchSize(2).tieBreaker("id").yaml()));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(fixture.count("""
                SELECT count(*) FROM analytics.film_dim d JOIN content.film_work f ON f.id = d.film_id
                 WHERE d.title = f.title AND d.source_system = 'films'""")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).as("the insert that found a key was undone")
                .isEqualTo(FILMS);
        assertThat(fixture.count("""
                SELECT count(*) FROM etl.pipeline_run
                 WHERE pipeline = 'etl-test/midway' AND status = 'SUCCEEDED' AND rows_written = 21 AND batches = 11""")).isEqualTo(1);
    }

    @Test
    void aRowThatBreaksAnotherUniqueIndexFailsItsBatchNamingTheIndex() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        fixture.execute("CREATE TABLE content.prices (seq int PRIMARY KEY, code int NOT NULL, price int NOT NULL)");
        fixture.execute("CREATE TABLE analytics.price_by_code (code int PRIMARY KEY, price int NOT NULL CONSTRAINT one_code_a_price UNIQUE)");
        fixture.execute("INSERT INTO content.prices VALUES (1, 1, 10), (2, 2, 20), (3, 3, 30), (4, 4, 30), (5, 5, 50)");

        RunOutput run = fixture.run(pricesByCode(fixture, 3));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.result()).isEqualTo("FAILED");
        assertThat(run.message()).contains("one_code_a_price");
        assertThat(fixture.strings("SELECT code || '=' || price FROM analytics.price_by_code ORDER BY code"))
                .as("the first batch only").containsExactly("1=10", "2=20", "3=30");
    }

    @Test
    void transformsShapeTheTargetRows() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 5);
        RunOutput run = fixture.run(fixture.writePipeline("full", filmDim("shape").batchSize(500).yaml()));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(fixture.text("""
                SELECT d.title || '|' || d.source_system || '|' || d.rating
                  FROM analytics.film_dim d JOIN content.film_work f ON f.id = d.film_id
                 WHERE f.title = 'Film #3'""")).isEqualTo("Film #3|films|1.1");
    }

    @Test
    void rowsOfOneBatchWithKeysTheDatabaseFindsEqualLeaveTheLastOne() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        fixture.execute("CREATE TABLE content.prices (seq int PRIMARY KEY, code numeric NOT NULL, price int NOT NULL)");
        fixture.execute("CREATE TABLE analytics.price_by_code (code numeric PRIMARY KEY, price int NOT NULL)");
        fixture.execute("INSERT INTO content.prices VALUES (1, 1.0, 10), (2, 2, 20), (3, 1.00, 30), (4, 1, 40), (5, 2.000, 50)");

        RunOutput run = fixture.run(pricesByCode(fixture, 500));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.rowsRead()).isEqualTo(5);
        assertThat(run.rowsWritten()).isEqualTo(2);
        assertThat(fixture.strings("SELECT code || '=' || price FROM analytics.price_by_code ORDER BY code"))
                .containsExactly("1=40", "2.000=50");
    }

    @Test
    void aRowWithANullKeyFailsItsBatchClearlyAndNothingOfThatBatchIsWritten() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        fixture.execute("CREATE TABLE content.prices (seq int PRIMARY KEY, code numeric, price int NOT NULL)");
        // a unique key that admits NULLs: the database alone would insert such a row again on every replay
        fixture.execute("CREATE TABLE analytics.price_by_code (code numeric UNIQUE, price int NOT NULL)");
        fixture.execute("INSERT INTO content.prices VALUES (1, 1, 10), (2, 2, 20), (3, 3, 30), (4, NULL, 40), (5, 5, 50)");
        Path pipeline = pricesByCode(fixture, 3);

        RunOutput first = fixture.run(pipeline);
        RunOutput replay = fixture.run(pipeline);

        for (RunOutput run : List.of(first, replay)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
            assertThat(run.result()).isEqualTo("FAILED");
            assertThat(run.message()).contains("row 1 of 2 in the batch has a NULL code, a key column");
        }
        assertThat(fixture.strings("SELECT code || '=' || price FROM analytics.price_by_code ORDER BY code"))
                .as("the first batch only, once").containsExactly("1=10", "2=20", "3=30");
    }

    /** A full load of content.prices, without its seq, into analytics.price_by_code by code. */
    private static Path pricesByCode(RunnerFixture fixture, int batchSize) {
        return fixture.writePipeline(pipeline("prices").batchSize(batchSize)
                .query("SELECT seq, code, price FROM content.prices ORDER BY seq").transform(Transform.drop("seq"))
                .postgresTarget("analytics.price_by_code", "code"));
    }
}
