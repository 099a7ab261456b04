package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.postgres.Gate;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While a run runs, its log and {@code etl-runner status} tell how far it has come. */
class ProgressTest {
    private static final long GATE = 6161;

    @TempDir
    Path dir;

    @Test
    void midRunTheLogAndTheStatusShowTheCommittedBatchesTheirCheckpointAndTheRate() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        Path pipeline = fixture.writePipeline(filmDim("progress").batchSize(3).tieBreaker("id"));
        fixture.stallTargetWriteOf(fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"), GATE);
        String lastCommitted = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 5 LIMIT 1");
        RunOutput done;
        try (Gate gate = fixture.closedGate(GATE)) {
            RunnerProcess runner = fixture.startProcess(pipeline, Jvm.SMALL);
            await("the third batch stalled").atMost(Duration.ofMinutes(2)).failFast("the runner ended", runner::finished)
                    .until(gate::hasWaiter);

            JsonNode running = status(fixture).path("lastRun");
            RunnerProgress logged = RunnerProgress.lastIn(runner.stderrSoFar()).orElseThrow();
            gate.open();
            done = runner.await(Duration.ofMinutes(1));

            assertThat(running.path("status").asText()).isEqualTo("RUNNING");
            assertThat(running.path("batches").asLong()).isEqualTo(2);
            assertThat(running.path("rowsRead").asLong()).isEqualTo(6);
            assertThat(running.path("rowsWritten").asLong()).isEqualTo(6);
            assertThat(running.path("checkpoint").path("tieBreaker").asText()).isEqualTo(lastCommitted);
            assertThat(running.path("rowsPerSecond").asLong()).isPositive();
            assertThat(logged.batches()).isEqualTo(2);
            assertThat(logged.rowsRead()).isEqualTo(6);
            assertThat(logged.rowsWritten()).isEqualTo(6);
            assertThat(logged.checkpoint()).containsEntry("tieBreaker", lastCommitted);
            assertThat(logged.rowsPerSecond()).isPositive();
            assertThat(logged.describe()).isEqualTo("6 read, 6 written, 2 batches, " + logged.rowsPerSecond() + " rows/s");
        }

        assertThat(done.result()).isEqualTo("SUCCEEDED");
        JsonNode finished = status(fixture).path("lastRun");
        assertThat(finished.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("rowsRead").asLong()).isEqualTo(12);
        assertThat(finished.has("rowsPerSecond")).as("a rate only while it runs").isFalse();
    }

    private static JsonNode status(RunnerFixture fixture) {
        RunOutput status = fixture.cli("status", "--pipeline", "etl-test/progress", "--control-db", fixture.controlDbUrl());
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        return status.summary();
    }
}
