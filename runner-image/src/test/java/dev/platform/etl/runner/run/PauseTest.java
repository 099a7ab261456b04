package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.postgres.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause and resume: a pause (or SIGTERM) takes effect between batches only, and resuming completes exactly. */
class PauseTest {
    private static final int FILMS = 24;
    private static final String PIPELINE = "etl-test/pausable";

    @TempDir
    Path dir;

    private RunnerFixture fixture;
    private Path pipeline;

    @BeforeEach
    void slowIncrementalPipeline() throws Exception {
        fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.logTargetWrites();
    }

    @Test
    void aPauseRequestedDuringARunStopsAfterTheBatchInFlightAndResumeCompletesExactly() throws Exception {
        pipeline = fixture.writePipeline(filmDim("pausable").batchSize(1).incremental("modified", "id"));
        RunOutput pause;
        RunOutput paused;
        try (Gate gate = stallWriteOfFilmAt(6)) {
            CompletableFuture<RunOutput> running = CompletableFuture.supplyAsync(() -> fixture.run(pipeline));
            awaitStalled(gate);
            pause = fixture.cli("pause", "--pipeline", PIPELINE, "--control-db", fixture.controlDbUrl());
            gate.open();
            paused = running.get(1, TimeUnit.MINUTES);
        }

        assertThat(pause.exitCode()).isZero();
        assertThat(paused.exitCode()).isZero();
        assertThat(paused.result()).isEqualTo("PAUSED");
        long committed = assertOnlyWholeCommittedBatches(paused, 1);
        assertThat(committed).as("the batch in flight when the pause came, and none after").isEqualTo(7);

        RunOutput whilePaused = fixture.run(pipeline);
        assertThat(whilePaused.result()).as("a run started while the pause is requested pauses at once").isEqualTo("PAUSED");
        assertThat(whilePaused.rowsRead()).isZero();

        assertThat(fixture.cli("resume", "--pipeline", PIPELINE, "--control-db", fixture.controlDbUrl()).exitCode()).isZero();
        RunOutput resumed = fixture.run(pipeline);

        assertThat(resumed.result()).isEqualTo("SUCCEEDED");
        assertThat(resumed.rowsRead()).isEqualTo(FILMS - committed);
        assertTargetComplete();
    }

    @Test
    void sigtermDuringABatchFinishesThatBatchThenPauses() throws Exception {
        pipeline = fixture.writePipeline(filmDim("pausable").batchSize(3).incremental("modified", "id"));
        RunOutput stopped;
        try (Gate gate = stallWriteOfFilmAt(7)) {
            RunnerProcess runner = fixture.startProcess(pipeline, Jvm.SMALL);
            awaitStalled(gate);
            terminateDuringTheStalledBatch(runner);
            gate.open();
            stopped = runner.await(Duration.ofMinutes(1));
        }

        assertThat(stopped.exitCode()).as("stopped by SIGTERM: " + stopped.stderr()).isEqualTo(143);
        assertThat(stopped.result()).isEqualTo("PAUSED");
        assertThat(stopped.stderr()).contains("SIGTERM: pausing after the batch in flight");
        long committed = assertOnlyWholeCommittedBatches(stopped, 3);
        assertThat(committed).as("the batch in flight at SIGTERM, and none after").isEqualTo(9);

        RunOutput resumed = fixture.run(pipeline);
        assertThat(resumed.rowsRead()).isEqualTo(FILMS - committed);
        assertTargetComplete();
    }

    @Test
    void aRunPausedAndResumedUnderItsRunIdCountsTheWholeRunAsItsRowsInPipelineRunDo() throws Exception {
        pipeline = fixture.writePipeline(filmDim("pausable").batchSize(3).incremental("modified", "id"));
        RunOutput stopped;
        try (Gate gate = stallWriteOfFilmAt(7)) {
            RunnerProcess runner = fixture.startProcess(pipeline, Jvm.SMALL, "--run-id", "run-1");
            awaitStalled(gate);
            terminateDuringTheStalledBatch(runner);
            gate.open();
            stopped = runner.await(Duration.ofMinutes(1));
        }
        assertThat(stopped.result()).as(stopped.stderr()).isEqualTo("PAUSED");

        RunOutput resumed = fixture.startProcess(pipeline, Jvm.SMALL, "--run-id", "run-1").await(Duration.ofMinutes(1));

        assertThat(resumed.result()).as(resumed.stderr()).isEqualTo("SUCCEEDED");
        assertThat(resumed.rowsRead()).as("the run's rows, before and after the pause").isEqualTo(FILMS);
        assertThat(resumed.rowsWritten()).isEqualTo(FILMS);
        assertThat(resumed.summary().path("batches").asLong()).isEqualTo(FILMS / 3);
        assertThat(fixture.strings("SELECT rows_read::text FROM etl.pipeline_run WHERE run_id = 'run-1' ORDER BY id"))
                .as("one row per attempt, each with its own rows").containsExactly("9", String.valueOf(FILMS - 9));
        assertThat(RunnerProgress.lastIn(resumed.stderr())).as("the progress the operator reads counts the whole run too")
                .hasValueSatisfying(progress -> assertThat(progress.rowsRead()).isEqualTo(FILMS));
        assertTargetComplete();
    }

    @Test
    void aBatchThatCannotFinishWithinTheGracePeriodAfterSigtermIsRolledBack() throws Exception {
        pipeline = fixture.writePipeline(filmDim("pausable").batchSize(3).incremental("modified", "id"));
        fixture.environment().put("ETL_STOP_GRACE_PERIOD", "1s");
        RunOutput stopped;
        try (Gate gate = stallWriteOfFilmAt(7)) {
            RunnerProcess runner = fixture.startProcess(pipeline, Jvm.SMALL);
            awaitStalled(gate);
            runner.terminate();
            stopped = runner.await(Duration.ofMinutes(1));
        }

        assertThat(stopped.exitCode()).as(stopped.stderr()).isEqualTo(143);
        assertThat(stopped.stderr()).contains("did not finish within 1s of SIGTERM");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).as("batches 1 and 2 only").isEqualTo(6);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).isEqualTo(6);
        assertThat(fixture.text("SELECT checkpoint->>'tieBreaker' FROM etl.pipeline_state"))
                .isEqualTo(fixture.text("SELECT id::text FROM content.film_work ORDER BY modified, id OFFSET 5 LIMIT 1"));
    }

    /** The target holds exactly the committed batches, and the checkpoint is their last row. */
    private long assertOnlyWholeCommittedBatches(RunOutput run, int batchSize) throws Exception {
        long batches = run.summary().path("batches").asLong();
        long inTarget = fixture.count("SELECT count(*) FROM analytics.film_dim");
        assertThat(inTarget).isEqualTo(batches * batchSize).isEqualTo(run.rowsWritten());
        String cursor = run.summary().path("checkpoint").path("cursor").asText();
        String tieBreaker = run.summary().path("checkpoint").path("tieBreaker").asText();
        assertThat(fixture.count("""
                SELECT count(*) FROM content.film_work f JOIN analytics.film_dim d ON d.film_id = f.id
                 WHERE (f.modified, f.id) <= ('%s'::timestamptz, '%s'::uuid)""".formatted(cursor, tieBreaker)))
                .as("every target row is at or before the checkpoint").isEqualTo(inTarget);
        assertThat(fixture.count("SELECT count(*) FROM content.film_work WHERE (modified, id) <= ('%s'::timestamptz, '%s'::uuid)"
                .formatted(cursor, tieBreaker))).as("every row up to the checkpoint is in the target").isEqualTo(inTarget);
        assertThat(fixture.text("SELECT checkpoint->>'tieBreaker' FROM etl.pipeline_state WHERE pipeline = '" + PIPELINE + "'"))
                .isEqualTo(tieBreaker);
        return inTarget;
    }

    private void assertTargetComplete() throws Exception {
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).as("each row written once").isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
    }

    private static final long GATE = 4141;

    /** Writing the film at {@code offset} (in cursor order) waits at the returned gate, closed. */
    private Gate stallWriteOfFilmAt(int offset) throws Exception {
        fixture.stallTargetWriteOf(fixture.text("SELECT id::text FROM content.film_work ORDER BY modified, id OFFSET " + offset + " LIMIT 1"), GATE);
        return fixture.closedGate(GATE);
    }

    /** Opening the gate before the runner has taken SIGTERM in would let it start the next batch. */
    private static void terminateDuringTheStalledBatch(RunnerProcess runner) {
        runner.terminate();
        await("the runner noted SIGTERM").atMost(Duration.ofMinutes(1))
                .until(() -> runner.stderrSoFar().contains("SIGTERM: pausing after the batch in flight"));
    }

    private static void awaitStalled(Gate gate) {
        await("a write stalled in the middle of its batch").atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
    }
}
