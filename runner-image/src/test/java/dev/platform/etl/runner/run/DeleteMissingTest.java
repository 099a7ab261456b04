package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.postgres.Gate;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code target.postgres.deleteMissing}: a completed full load leaves the table holding what the source holds, and only then. */
class DeleteMissingTest {
    private static final int FILMS = 12;
    private static final long GATE = 5151;
    private static final String PIPELINE = "etl-test/mirror";
    private static final String SOURCE_IDS = "SELECT id::text FROM content.film_work ORDER BY id";
    private static final String TARGET_IDS = "SELECT film_id::text FROM analytics.film_dim ORDER BY film_id";

    @TempDir
    Path dir;

    private RunnerFixture fixture;
    private Path pipeline;

    @BeforeEach
    void mirrorPipeline() throws Exception {
        fixture = RunnerFixture.withFilms(dir, FILMS);
        pipeline = fixture.writePipeline("mirror", filmDim("mirror").batchSize(3).tieBreaker("id")
                .postgres(target -> target.setDeleteMissing(true)).yaml());
    }

    @Test
    void aCompletedLoadDeletesExactlyTheRowsTheSourceNoLongerHolds() throws Exception {
        assertThat(fixture.run(pipeline).result()).isEqualTo("SUCCEEDED");
        fixture.execute("INSERT INTO analytics.film_dim (film_id, title) VALUES (gen_random_uuid(), 'stray'), (gen_random_uuid(), 'stray')");
        fixture.execute("DELETE FROM content.film_work WHERE id IN (SELECT id FROM content.film_work ORDER BY id OFFSET 4 LIMIT 2)");

        RunOutput second = fixture.run(pipeline);

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(fixture.strings(TARGET_IDS)).isEqualTo(fixture.strings(SOURCE_IDS)).hasSize(FILMS - 2);
        assertThat(fixture.count("SELECT count(*) FROM etl.full_load_keys")).as("the keys are forgotten with the load").isZero();
    }

    @Test
    void aPausedLoadDeletesNothingAndItsResumptionRemembersTheRowsReadBeforeThePause() throws Exception {
        assertThat(fixture.run(pipeline).result()).isEqualTo("SUCCEEDED");
        fixture.execute("DELETE FROM content.film_work WHERE id IN (SELECT id FROM content.film_work ORDER BY id OFFSET 1 LIMIT 1) "
                + "OR id IN (SELECT id FROM content.film_work ORDER BY id OFFSET 10 LIMIT 1)");
        fixture.execute("TRUNCATE analytics.film_dim");
        fixture.execute("INSERT INTO analytics.film_dim (film_id, title) SELECT id, title FROM content.film_work");
        fixture.execute("INSERT INTO analytics.film_dim (film_id, title) VALUES (gen_random_uuid(), 'stray')");
        fixture.stallTargetWriteOf(fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"), GATE);
        RunOutput paused;
        try (Gate gate = fixture.closedGate(GATE)) {
            CompletableFuture<RunOutput> running = CompletableFuture.supplyAsync(() -> fixture.run(pipeline));
            await("the third batch stalled").atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
            assertThat(fixture.cli("pause", "--pipeline", PIPELINE, "--control-db", fixture.controlDbUrl()).exitCode()).isZero();
            gate.open();
            paused = running.get(1, TimeUnit.MINUTES);
        }

        assertThat(paused.result()).isEqualTo("PAUSED");
        assertThat(paused.rowsRead()).isEqualTo(9);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim WHERE title = 'stray'")).as("a paused load deletes nothing").isOne();

        assertThat(fixture.cli("resume", "--pipeline", PIPELINE, "--control-db", fixture.controlDbUrl()).exitCode()).isZero();
        RunOutput resumed = fixture.run(pipeline);

        assertThat(resumed.result()).as(resumed.stderr()).isEqualTo("SUCCEEDED");
        assertThat(resumed.rowsRead()).as("only the rest").isEqualTo(FILMS - 2 - 9);
        assertThat(fixture.strings(TARGET_IDS)).as("the rows read before the pause stay; the stray row goes")
                .isEqualTo(fixture.strings(SOURCE_IDS));
    }

    @Test
    void aLoadBegunWithoutDeleteMissingIsNotCompletedWithItAndDeletesNothing() throws Exception {
        Path plain = fixture.writePipeline("mirror-plain", filmDim("mirror").batchSize(3).tieBreaker("id").yaml());
        fixture.execute("INSERT INTO analytics.film_dim (film_id, title) VALUES (gen_random_uuid(), 'stray')");
        fixture.stallTargetWriteOf(fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"), GATE);
        try (Gate gate = fixture.closedGate(GATE)) {
            CompletableFuture<RunOutput> running = CompletableFuture.supplyAsync(() -> fixture.run(plain));
            await("the third batch stalled").atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
            fixture.cli("pause", "--pipeline", PIPELINE, "--control-db", fixture.controlDbUrl());
            gate.open();
            assertThat(running.get(1, TimeUnit.MINUTES).result()).isEqualTo("PAUSED");
        }
        fixture.cli("resume", "--pipeline", PIPELINE, "--control-db", fixture.controlDbUrl());

        RunOutput resumed = fixture.run(pipeline);

        assertThat(resumed.result()).isEqualTo("FAILED");
        assertThat(resumed.message()).contains("begun without deleteMissing");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim WHERE title = 'stray'")).as("nothing deleted").isOne();
    }

    @Test
    void withTheControlSchemaOutsideTheTargetDatabaseItIsInvalid() throws Exception {
        String elsewhere = SharedPostgres.get().freshDatabase().jdbcUrlWithCredentials();

        RunOutput run = fixture.run(pipeline, "--control-db", elsewhere);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.message()).contains("spec.target.postgres.deleteMissing: needs the control schema in the target database");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isZero();
    }
}
