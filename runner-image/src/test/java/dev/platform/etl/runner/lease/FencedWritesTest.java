package dev.platform.etl.runner.lease;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.postgres.Gate;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import dev.platform.etl.testkit.postgres.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target in a database of its own (the control schema elsewhere, with --control-db): a runner
 * that stalls in the middle of writing a batch and loses its lease never writes after the runner
 * that took over. Guarantee: at-least-once replay, idempotent by key, never a zombie write.
 */
class FencedWritesTest {
    private static final long GATE = 5151;

    @TempDir
    Path dir;

    @Test
    void aRunnerStalledWhileWritingASeparateTargetNeverOverwritesTheNewerRunsRows() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        TestDatabase control = SharedPostgres.get().freshDatabase();
        String controlUrl = control.jdbcUrlWithCredentials();
        Path pipeline = stallSecondBatchAndLogWrites(fixture);

        RunnerProcess stalled;
        try (Gate gate = fixture.closedGate(GATE)) {
            stalled = fixture.startProcess(pipeline, Jvm.SMALL, "--control-db", controlUrl, "--lease-ttl", "30s", "--heartbeat", "1s");
            await("the runner stalled in its second batch").atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
            fixture.execute("UPDATE content.film_work SET title = title || ' (newer)'");

            // another runner takes the lease over, as it would once a stalled process missed its heartbeats;
            // the stalled batch holds the lease row locked while it writes, so the takeover waits for that batch,
            // and the stalled runner's next batch waits for the takeover
            CompletableFuture<Void> takeover = CompletableFuture.runAsync(() -> {
                try {
                    control.takeOverLeases();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the takeover waits for the stalled runner's batch").atMost(Duration.ofMinutes(1))
                    .until(() -> control.count("""
                            SELECT count(*) FROM pg_stat_activity
                             WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE etl.pipeline_state%'""") == 1);
            assertThat(takeover).as("no takeover while the batch holds the lease").isNotDone();
            gate.open();
            takeover.get(1, TimeUnit.MINUTES);
            assertThat(fixture.run(pipeline, "--control-db", controlUrl).result()).isEqualTo("SUCCEEDED");
        }
        RunOutput stalledOutput = stalled.await(Duration.ofMinutes(1));

        assertThat(stalledOutput.message()).as(stalledOutput.stderr()).contains("lost the lease");
        assertTheNewerRunsRowsStand(fixture);
    }

    /**
     * The runner stops dead (SIGSTOP) in the middle of its second batch, its lease row locked: a
     * claim does not wait for it, the server ends its idle transaction, which releases the lock,
     * and once its lease has run out another runner takes the pipeline over while it is still frozen.
     */
    @Test
    void aRunnerFrozenWhileItHoldsTheLeaseRowLockedDoesNotBlockTheTakeover() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        TestDatabase control = SharedPostgres.get().freshDatabase();
        String controlUrl = control.jdbcUrlWithCredentials();
        Path pipeline = stallSecondBatchAndLogWrites(fixture);

        RunnerProcess frozen;
        try (Gate gate = fixture.closedGate(GATE)) {
            frozen = fixture.startProcess(pipeline, Jvm.SMALL, "--control-db", controlUrl);
            await("the runner stalled in its second batch").atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
            frozen.freeze();
            fixture.execute("UPDATE content.film_work SET title = title || ' (newer)'");
        }
        try {
            RunOutput blocked = CompletableFuture.supplyAsync(() -> fixture.run(pipeline, "--control-db", controlUrl))
                    .get(1, TimeUnit.MINUTES);
            assertThat(blocked.result()).as("a claim while the frozen runner holds the row").isEqualTo("SKIPPED");

            await("the server ended the frozen runner's idle transactions").atMost(Duration.ofMinutes(1))
                    .until(() -> control.count("""
                            SELECT count(*) FROM pg_stat_activity
                             WHERE application_name = 'etl-runner' AND state LIKE 'idle in transaction%'
                               AND backend_xid IS NOT NULL""") == 0);
            control.expireLeases();
            RunOutput takeover = fixture.run(pipeline, "--control-db", controlUrl);

            assertThat(takeover.result()).as(takeover.stderr()).isEqualTo("SUCCEEDED");
            assertThat(frozen.finished()).as("the takeover finished while the first runner was frozen").isFalse();
        } finally {
            frozen.thaw();
        }
        RunOutput thawed = frozen.await(Duration.ofMinutes(1));

        assertThat(thawed.message()).as(thawed.stderr()).contains("lost the lease");
        assertTheNewerRunsRowsStand(fixture);
    }

    /**
     * The second batch's write of the 4th film (with the title read before the source changed)
     * waits on gate {@link #GATE}; every write of the target is logged in analytics.write_order.
     */
    private static Path stallSecondBatchAndLogWrites(RunnerFixture fixture) throws Exception {
        fixture.execute("""
                CREATE FUNCTION analytics.stall() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN %1$s RETURN NEW; END $$;
                CREATE TRIGGER stall BEFORE INSERT ON analytics.film_dim FOR EACH ROW
                  WHEN (NEW.film_id = '%2$s' AND NEW.title NOT LIKE '%% (newer)') EXECUTE FUNCTION analytics.stall();
                """.formatted(Gate.passSql(GATE), fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 3 LIMIT 1")));
        fixture.execute("""
                CREATE TABLE analytics.write_order (n bigserial, film_id uuid, title text);
                CREATE FUNCTION analytics.log_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO analytics.write_order (film_id, title) VALUES (NEW.film_id, NEW.title); RETURN NEW; END $$;
                CREATE TRIGGER log_order AFTER INSERT OR UPDATE ON analytics.film_dim FOR EACH ROW EXECUTE FUNCTION analytics.log_order();
                """);
        return fixture.writePipeline(filmDim("fenced").batchSize(3).tieBreaker("id"));
    }

    private static void assertTheNewerRunsRowsStand(RunnerFixture fixture) throws Exception {
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(12);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim WHERE title LIKE '% (newer)'")).as("rows the newer run wrote")
                .isPositive();
        assertThat(fixture.strings("""
                SELECT older.title FROM analytics.write_order newer JOIN analytics.write_order older
                    ON older.film_id = newer.film_id AND older.n > newer.n
                 WHERE newer.title LIKE '% (newer)' AND older.title NOT LIKE '% (newer)'"""))
                .as("older rows written over the newer run's").isEmpty();
    }
}
