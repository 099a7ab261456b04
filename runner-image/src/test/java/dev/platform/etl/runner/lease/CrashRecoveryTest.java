package dev.platform.etl.runner.lease;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.postgres.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash recovery: a runner killed with SIGKILL anywhere in a run is recovered by the next one
 * once its lease expires, without losing or repeating a row; and a runner that lost its lease
 * cannot commit. {@code make chaos} runs 50 kills ({@code -Detl.chaos.kills=50}).
 */
class CrashRecoveryTest {
    private static final int FILMS = 30;
    private static final String PIPELINE = "etl-test/crash";

    @TempDir
    Path dir;

    @Test
    void aRunnerKilledAtRandomPointsIsRecoveredExactly() throws Exception {
        int kills = Integer.getInteger("etl.chaos.kills", 10);
        long seed = Long.getLong("etl.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.logTargetWrites();
        fixture.slowTargetWrites(40);
        Path pipeline = fixture.writePipeline(filmDim("crash").batchSize(2).tieBreaker("id"));

        for (int kill = 1; kill <= kills; kill++) {
            fixture.execute("TRUNCATE analytics.film_dim, analytics.write_log");
            fixture.execute("DROP SCHEMA IF EXISTS etl CASCADE");
            int killAfterBatches = random.nextInt(FILMS / 2 - 3);
            String round = "kill %d of %d after %d batches (seed %d)".formatted(kill, kills, killAfterBatches, seed);

            RunnerProcess victim = fixture.startProcess(pipeline, Jvm.SMALL);
            await(round).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5))
                    .until(() -> fixture.runningBatches(PIPELINE) >= killAfterBatches);
            victim.kill();
            assertThat(victim.await(Duration.ofSeconds(30)).exitCode()).as(round).isEqualTo(137);
            // the dead runner's lease would run out by its TTL; the test makes it run out now
            fixture.expireLeases();
            RunOutput rescue = fixture.run(pipeline);

            assertThat(rescue.result()).as(round + ": " + rescue.stdout()).isEqualTo("SUCCEEDED");
            assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).as(round).isEqualTo(FILMS);
            assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).as(round + ": each row committed once").isEqualTo(FILMS);
            assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'ABANDONED'")).as(round).isEqualTo(1);
            assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).as(round).isZero();
            assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_state WHERE lease_holder IS NULL")).as(round).isEqualTo(1);
        }
    }

    /**
     * Into a full target, every batch is upserted, and its merge goes to the server in the same
     * round trip as its checkpoint and COMMIT: the lost lease must still stop the COMMIT.
     */
    @ParameterizedTest(name = "target full beforehand: {0}")
    @ValueSource(booleans = {false, true})
    void aRunnerWhoseLeaseWasTakenOverWhileStalledCannotCommitItsBatch(boolean targetFull) throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        if (targetFull) {
            fixture.execute("INSERT INTO analytics.film_dim (film_id, title) SELECT id, title || ' (before)' FROM content.film_work");
        }
        fixture.logTargetWrites();
        String stalledFilm = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1");
        // writing the 7th film waits on an advisory lock that the test holds: the batch stalls
        fixture.stallTargetWriteOf(stalledFilm, 4242);
        Path pipeline = fixture.writePipeline(filmDim("zombie").batchSize(3).tieBreaker("id"));

        RunnerProcess zombie;
        RunOutput successor;
        try (Gate gate = fixture.closedGate(4242)) {
            zombie = fixture.startProcess(pipeline, Jvm.SMALL);
            await("the runner stalled writing the 7th film").atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
            fixture.expireLeases();
            var successorRun = java.util.concurrent.CompletableFuture.supplyAsync(() -> fixture.run(pipeline));
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'ABANDONED'") == 1);
            gate.open();
            successor = successorRun.get(1, java.util.concurrent.TimeUnit.MINUTES);
        }
        RunOutput zombieOutput = zombie.await(Duration.ofMinutes(1));

        assertThat(zombieOutput.exitCode()).isEqualTo(1);
        assertThat(zombieOutput.message()).contains("lost the lease");
        assertThat(successor.result()).as(successor.stdout()).isEqualTo("SUCCEEDED");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(12);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim WHERE title LIKE '% (before)'")).as("rows not upserted").isZero();
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).as("each row committed once").isEqualTo(12);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log WHERE film_id = '" + stalledFilm + "'")).isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
    }
}
