package dev.platform.etl.runner.retry;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.postgres.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retry and backoff: transient failures are retried with growing backoff; permanent ones fail at once. */
class RetryTest {
    private static final Pattern RETRY_DELAY = Pattern.compile("\\[WARN] .*attempt (\\d+) of 10 failed \\((.*)\\); retrying in (\\d+) ms");

    @TempDir
    Path dir;

    @Test
    void aTargetTableRenamedAwayForAWhileIsRetriedUntilItIsBack() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 20);
        fixture.slowTargetWrites(40);
        Path pipeline = fixture.writePipeline(filmDim("flip").batchSize(2).retry(10, "200ms", "5s"));

        RunnerProcess runner = fixture.startProcess(pipeline, Jvm.SMALL);
        await().atMost(Duration.ofMinutes(1)).until(() -> fixture.runningBatches("etl-test/flip") >= 2);
        fixture.execute("ALTER TABLE analytics.film_dim RENAME TO film_dim_away");
        await().atMost(Duration.ofMinutes(1)).until(() -> runner.stderrSoFar().contains("attempt 3 of 10 failed"));
        fixture.execute("ALTER TABLE analytics.film_dim_away RENAME TO film_dim");
        RunOutput run = runner.await(Duration.ofMinutes(1));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.result()).isEqualTo("SUCCEEDED");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(20);
        Matcher warnings = RETRY_DELAY.matcher(run.stderr());
        long previousDelay = 0;
        int retries = 0;
        while (warnings.find()) {
            retries++;
            assertThat(Integer.parseInt(warnings.group(1))).isEqualTo(retries);
            assertThat(warnings.group(2)).contains("SQLSTATE 42P01").contains("film_dim");
            long delay = Long.parseLong(warnings.group(3));
            assertThat(delay).as("backoff grows").isGreaterThan(previousDelay);
            previousDelay = delay;
        }
        assertThat(retries).isGreaterThanOrEqualTo(3);
    }

    /**
     * Every session of the runner is ended by the server, as a restart or failover of PostgreSQL
     * ends them (SQLSTATE 57P01, then 08006 on each), while a batch is being written: the run
     * retries through it on new sessions.
     */
    @Test
    void connectionsEndedByTheServerMidBatchAreRetriedAndTheRunEndsExactly() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        fixture.logTargetWrites();
        fixture.stallTargetWriteOf(fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"), 5757);
        Path pipeline = fixture.writePipeline(filmDim("ended").batchSize(3).tieBreaker("id"));

        RunnerProcess runner;
        try (Gate gate = fixture.closedGate(5757)) {
            runner = fixture.startProcess(pipeline, Jvm.SMALL);
            await().atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
            fixture.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'etl-runner'");
            await().atMost(Duration.ofMinutes(1)).until(() -> runner.stderrSoFar().contains("write batch 3: attempt 1 of 3 failed"));
        }
        RunOutput run = runner.await(Duration.ofMinutes(1));

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(run.stderr()).containsPattern("attempt 1 of 3 failed \\(SQLSTATE (57P01|08006)");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(12);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).as("each row committed once").isEqualTo(12);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'SUCCEEDED' AND rows_read = 12")).isEqualTo(1);
    }

    @Test
    void aSyntaxErrorInTheReaderFailsOnTheFirstAttempt() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 5);
        Path pipeline = fixture.writePipeline(pipeline("typo").batchSize(2)
                .query("SELEC id AS film_id, title FROM content.film_work").postgresTarget("analytics.film_dim", "film_id"));

        RunOutput run = fixture.startProcess(pipeline, Jvm.SMALL).await(Duration.ofMinutes(1));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.message()).contains("SQLSTATE 42601").contains("syntax error");
        assertThat(run.stderr()).doesNotContain("retrying");
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'FAILED'")).isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isZero();
    }

    @Test
    void theClassifierSeparatesTransientFromPermanentErrors() {
        List<String> transientStates = List.of("08006", "08001", "40001", "40P01", "57P01", "53300", "55P03");
        for (String state : transientStates) {
            assertThat(ErrorClassifier.isTransient(new java.sql.SQLException("x", state), Stage.READ)).as(state).isTrue();
        }
        for (String state : List.of("42601", "42501", "42703", "22P02", "23502")) {
            assertThat(ErrorClassifier.isTransient(new java.sql.SQLException("x", state), Stage.WRITE)).as(state).isFalse();
        }
        assertThat(ErrorClassifier.isTransient(new java.sql.SQLException("x", "42P01"), Stage.WRITE)).isTrue();
        assertThat(ErrorClassifier.isTransient(new java.sql.SQLException("x", "42P01"), Stage.READ)).isFalse();
    }
}
