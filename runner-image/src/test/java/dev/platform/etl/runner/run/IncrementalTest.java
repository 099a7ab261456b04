package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.FILM_QUERY;
import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental checkpoints (nothing new reads nothing; one touched row reads that row) and the edges of incremental reads: ties, late commits, transforms, bad specs. */
class IncrementalTest {
    private static final int FILMS = 21;
    private static final String CHECKPOINT = "SELECT checkpoint::text FROM etl.pipeline_state WHERE pipeline = 'etl-test/inc'";

    @TempDir
    Path dir;

    private RunnerFixture fixture;

    @BeforeEach
    void logEveryWrite() throws Exception {
        fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.logTargetWrites();
    }

    @Test
    void aSecondRunWithoutChangesReadsNothingAndKeepsTheCheckpoint() throws Exception {
        Path pipeline = fixture.writePipeline(filmDim("inc").batchSize(2).incremental("modified", "id"));

        RunOutput first = fixture.run(pipeline);
        String checkpoint = fixture.text(CHECKPOINT);
        RunOutput second = fixture.run(pipeline);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.rowsRead()).isEqualTo(FILMS);
        assertThat(first.rowsWritten()).isEqualTo(FILMS);
        assertThat(checkpoint).contains("\"cursor\": \"2024-01-01T00:00:21Z\"")
                .contains("\"tieBreaker\": \"" + fixture.text("SELECT md5('film-21')::uuid::text") + "\"");
        assertThat(second.exitCode()).isZero();
        assertThat(second.rowsRead()).isZero();
        assertThat(second.rowsWritten()).isZero();
        assertThat(fixture.text(CHECKPOINT)).isEqualTo(checkpoint);
        assertThat(fixture.text("SELECT rows_read || '/' || rows_written || '/' || status FROM etl.pipeline_run ORDER BY id DESC LIMIT 1"))
                .isEqualTo("0/0/SUCCEEDED");
    }

    @Test
    void touchingOneRowMakesTheNextRunReadAndWriteExactlyThatRow() throws Exception {
        Path pipeline = fixture.writePipeline(filmDim("inc").batchSize(2).incremental("modified", "id"));
        fixture.run(pipeline);
        String before = fixture.text(CHECKPOINT);

        String touched;
        try (Connection connection = fixture.connect()) {
            touched = DemoData.touchOne(connection);
        }
        RunOutput run = fixture.run(pipeline);

        assertThat(run.rowsRead()).isEqualTo(1);
        assertThat(run.rowsWritten()).isEqualTo(1);
        assertThat(run.summary().path("checkpoint").path("tieBreaker").asText()).isEqualTo(touched);
        assertThat(fixture.text(CHECKPOINT)).isNotEqualTo(before).contains(touched);
        assertThat(fixture.text("SELECT title FROM analytics.film_dim WHERE film_id = '" + touched + "'")).endsWith("(touched)");
    }

    @Test
    void rowsSharingACursorValueAcrossBatchBoundariesAreWrittenExactlyOnce() throws Exception {
        fixture.execute("TRUNCATE content.film_work");
        try (Connection connection = fixture.connect()) {
            DemoData.insertFilms(connection, 1, 25);
        }
        fixture.execute("UPDATE content.film_work SET modified = timestamptz '2024-06-01 12:00:00.123456+00'");
        Path pipeline = fixture.writePipeline(filmDim("inc").batchSize(4).incremental("modified", "id"));

        RunOutput first = fixture.run(pipeline);
        RunOutput second = fixture.run(pipeline);

        assertThat(first.rowsRead()).isEqualTo(25);
        assertThat(first.summary().path("batches").asLong()).isEqualTo(7);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).isEqualTo(25);
        assertThat(fixture.count("SELECT count(DISTINCT film_id) FROM analytics.write_log")).isEqualTo(25);
        assertThat(second.rowsRead()).isZero();
        assertThat(fixture.text(CHECKPOINT)).contains("2024-06-01T12:00:00.123456Z");
    }

    @Test
    void transformsThatRenameOrDropTheKeysetColumnsDoNotChangeTheCheckpoint() throws Exception {
        Path plain = fixture.writePipeline(filmDim("inc").batchSize(5).incremental("modified", "id"));
        fixture.run(plain);
        String plainCheckpoint = fixture.text(CHECKPOINT);
        fixture.execute("TRUNCATE etl.pipeline_state, etl.pipeline_run, analytics.film_dim");

        Path reshaped = fixture.writePipeline(pipeline("inc").batchSize(5)
                .incremental("modified", "id").query(FILM_QUERY)
                .transform(Transform.rename("id", "film_id").andRename("modified", "changed_at"))
                .transform(Transform.drop("changed_at", "type"))
                .postgresTarget("analytics.film_dim", "film_id"));
        RunOutput first = fixture.run(reshaped);
        RunOutput second = fixture.run(reshaped);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.rowsWritten()).isEqualTo(FILMS);
        assertThat(fixture.text(CHECKPOINT)).isEqualTo(plainCheckpoint);
        assertThat(second.rowsRead()).isZero();
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim WHERE modified IS NULL")).isEqualTo(FILMS);
    }

    @Test
    void aRowCommittedLateWithAnEarlierCursorIsNotLost() throws Exception {
        Path pipeline = fixture.writePipeline(filmDim("inc").batchSize(3).incremental("modified", "id"));
        fixture.run(pipeline);
        String x = fixture.text("SELECT md5('film-5')::uuid::text");
        String y = fixture.text("SELECT md5('film-6')::uuid::text");

        try (Connection late = fixture.connect(); Statement t1 = late.createStatement()) {
            late.setAutoCommit(false);
            t1.executeUpdate("UPDATE content.film_work SET modified = now(), title = 'X, committed late' WHERE id = '" + x + "'");
            fixture.execute("UPDATE content.film_work SET modified = now(), title = 'Y, committed at once' WHERE id = '" + y + "'");
            RunOutput whileOpen = fixture.run(pipeline);
            assertThat(whileOpen.exitCode()).as(whileOpen.stderr()).isZero();
            late.commit();
        }
        RunOutput after = fixture.run(pipeline);
        RunOutput settled = fixture.run(pipeline);

        assertThat(fixture.text("SELECT title FROM analytics.film_dim WHERE film_id = '" + x + "'")).isEqualTo("X, committed late");
        assertThat(fixture.text("SELECT title FROM analytics.film_dim WHERE film_id = '" + y + "'")).isEqualTo("Y, committed at once");
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log WHERE title LIKE 'X,%'")).isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log WHERE title LIKE 'Y,%'")).isEqualTo(1);
        assertThat(after.rowsWritten()).isEqualTo(2);
        assertThat(settled.rowsRead()).isZero();
    }

    @Test
    void aResumableFullLoadStoppedAfterSomeBatchesReadsOnlyTheRest() throws Exception {
        // the 13th film in id order cannot be written: batches 1 to 3 (12 films) commit, batch 4 fails
        String thirteenth = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 12 LIMIT 1");
        refuseTargetWriteOf(thirteenth);
        Path pipeline = fixture.writePipeline(filmDim("full").batchSize(4).tieBreaker("id"));

        RunOutput stopped = fixture.run(pipeline);
        fixture.execute("DROP TRIGGER refuse ON analytics.film_dim");
        RunOutput resumed = fixture.run(pipeline);
        RunOutput fresh = fixture.run(pipeline);

        assertThat(stopped.result()).isEqualTo("FAILED");
        assertThat(stopped.summary().path("batches").asLong()).isEqualTo(3);
        assertThat(resumed.result()).isEqualTo("SUCCEEDED");
        assertThat(resumed.rowsRead()).isEqualTo(FILMS - 12);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(fresh.rowsRead()).as("a completed full load starts over").isEqualTo(FILMS);
    }

    @Test
    void aFullReloadBetweenIncrementalRunsKeepsTheIncrementalCheckpoint() throws Exception {
        Path incremental = fixture.writePipeline(filmDim("inc").batchSize(5).incremental("modified", "id"));
        Path reload = fixture.writePipeline("inc-reload", filmDim("inc").batchSize(5).tieBreaker("id").yaml());
        fixture.run(incremental);
        String checkpoint = fixture.text(CHECKPOINT);

        RunOutput full = fixture.run(reload);
        String afterReload = fixture.text(CHECKPOINT);
        RunOutput next = fixture.run(incremental);

        assertThat(full.result()).isEqualTo("SUCCEEDED");
        assertThat(full.rowsRead()).isEqualTo(FILMS);
        assertThat(afterReload).as("a full load keeps its own checkpoint").isEqualTo(checkpoint);
        assertThat(next.rowsRead()).as("nothing changed since the incremental checkpoint").isZero();
    }

    @Test
    void aPausedFullLoadResumesWhereItStoppedEvenAfterAnIncrementalRunInBetween() throws Exception {
        String thirteenth = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 12 LIMIT 1");
        refuseTargetWriteOf(thirteenth);
        Path full = fixture.writePipeline(filmDim("inc").batchSize(4).tieBreaker("id"));
        RunOutput stopped = fixture.run(full);
        fixture.execute("DROP TRIGGER refuse ON analytics.film_dim");

        RunOutput incremental = fixture.run(fixture.writePipeline(filmDim("inc").batchSize(4).incremental("modified", "id")));
        RunOutput resumed = fixture.run(fixture.writePipeline(filmDim("inc").batchSize(4).tieBreaker("id")));

        assertThat(stopped.summary().path("batches").asLong()).isEqualTo(3);
        assertThat(incremental.rowsRead()).isEqualTo(FILMS);
        assertThat(resumed.rowsRead()).as("the full load continues after its own checkpoint").isEqualTo(FILMS - 12);
    }

    @Test
    void aCursorColumnMissingFromTheReaderOutputIsInvalidBeforeAnythingIsWritten() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("inc").batchSize(5)
                .incremental("updated_at", "id").query(FILM_QUERY).transform(Transform.rename("id", "film_id").andDrop("type"))
                .postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.incremental.cursorColumn: column 'updated_at' is not in the reader's output");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isZero();
        assertThat(fixture.text("SELECT to_regclass('etl.pipeline_run')::text")).isNull();
    }

    @Test
    void incrementalModeWithoutItsSectionIsInvalid() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("inc").batchSize(5)
                .mode(Mode.Incremental).query(FILM_QUERY).transform(Transform.rename("id", "film_id").andDrop("type"))
                .postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.incremental: is required when spec.mode is Incremental");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isZero();
    }

    /** Writing that film to the demo target fails (permanently) until the trigger is dropped. */
    private void refuseTargetWriteOf(String filmId) throws Exception {
        fixture.execute("""
                CREATE FUNCTION analytics.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
                CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON analytics.film_dim
                   FOR EACH ROW WHEN (NEW.film_id = '%s') EXECUTE FUNCTION analytics.refuse();
                """.formatted(filmId));
    }
}
