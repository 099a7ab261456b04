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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic claim: two runners started at the same instant, and exactly one executes. */
class SingleExecutionTest {
    private static final int ROUNDS = 20;
    private static final String PIPELINE = "etl-test/twins";
    private static final long GATE = 6606;

    @TempDir
    Path dir;

    @Test
    void ofTwoRunnersStartedTogetherExactlyOneExecutesAndTheOtherSkipsWithoutReading() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        // whichever runner claims the lease stalls on its first batch until the other has given up:
        // the two always overlap, however slowly either JVM starts
        fixture.stallTargetWriteOf(fixture.text("SELECT id::text FROM content.film_work ORDER BY id LIMIT 1"), GATE);
        Path pipeline = fixture.writePipeline(filmDim("twins").batchSize(3));

        for (int round = 1; round <= ROUNDS; round++) {
            List<RunOutput> outputs = new ArrayList<>();
            try (Gate gate = fixture.closedGate(GATE)) {
                List<RunnerProcess> twins = List.of(fixture.startProcess(pipeline, Jvm.SMALL), fixture.startProcess(pipeline, Jvm.SMALL));
                await("round " + round + ": one runner gave up").atMost(Duration.ofMinutes(1))
                        .until(() -> twins.stream().anyMatch(RunnerProcess::finished));
                RunnerProcess skipper = twins.stream().filter(RunnerProcess::finished).findFirst().orElseThrow();
                outputs.add(skipper.await(Duration.ofSeconds(10)));
                gate.open();
                outputs.add(twins.stream().filter(t -> t != skipper).findFirst().orElseThrow().await(Duration.ofMinutes(1)));
            }

            assertThat(outputs).as("round %d", round).extracting(RunOutput::exitCode).containsExactly(3, 0);
            assertThat(outputs.get(0).result()).isEqualTo("SKIPPED");
            assertThat(outputs.get(0).rowsRead()).isZero();
            assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
        }
        assertThat(Stream.of("SUCCEEDED", "SKIPPED")).allSatisfy(status -> assertThat(fixture.count(
                "SELECT count(*) FROM etl.pipeline_run WHERE pipeline = '" + PIPELINE + "' AND status = '" + status + "'"))
                .isEqualTo(ROUNDS));
        assertThat(fixture.count("SELECT sum(rows_read) FROM etl.pipeline_run WHERE status = 'SKIPPED'")).isZero();
    }
}
