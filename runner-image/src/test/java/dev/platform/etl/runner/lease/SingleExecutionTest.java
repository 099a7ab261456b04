package dev.platform.etl.runner.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.PipelineYaml;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic claim: two runners started at the same instant, and exactly one executes. */
class SingleExecutionTest {
    private static final int ROUNDS = 20;
    private static final String PIPELINE = "etl-test/twins";

    @TempDir
    Path dir;

    @Test
    void ofTwoRunnersStartedTogetherExactlyOneExecutesAndTheOtherSkipsWithoutReading() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        // long enough (about 2 s) that the second JVM always claims while the first one runs
        fixture.slowTargetWrites(150);
        Path pipeline = fixture.writePipeline("twins", PipelineYaml.fullFilmDim("twins", 3));

        for (int round = 1; round <= ROUNDS; round++) {
            RunnerProcess first = fixture.startProcess(pipeline, Jvm.SMALL);
            RunnerProcess second = fixture.startProcess(pipeline, Jvm.SMALL);
            List<RunOutput> outputs = List.of(first.await(Duration.ofMinutes(1)), second.await(Duration.ofMinutes(1)));

            assertThat(outputs).as("round %d", round).extracting(RunOutput::exitCode).containsExactlyInAnyOrder(0, 3);
            RunOutput skipped = outputs.stream().filter(o -> o.exitCode() == 3).findFirst().orElseThrow();
            assertThat(skipped.result()).isEqualTo("SKIPPED");
            assertThat(skipped.rowsRead()).isZero();
            assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
        }
        assertThat(Stream.of("SUCCEEDED", "SKIPPED")).allSatisfy(status -> assertThat(fixture.count(
                "SELECT count(*) FROM etl.pipeline_run WHERE pipeline = '" + PIPELINE + "' AND status = '" + status + "'"))
                .isEqualTo(ROUNDS));
        assertThat(fixture.count("SELECT sum(rows_read) FROM etl.pipeline_run WHERE status = 'SKIPPED'")).isZero();
    }
}
