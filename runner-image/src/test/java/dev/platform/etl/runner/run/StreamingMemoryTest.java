package dev.platform.etl.runner.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.PipelineYaml;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner streams: 200,000 rows pass through a JVM limited to 128 MB of heap. */
class StreamingMemoryTest {
    private static final int FILMS = 200_000;

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandRowsFitIn128MegabytesOfHeap() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        Path pipeline = fixture.writePipeline("big", PipelineYaml.fullFilmDim("big", 1000));

        RunOutput run = fixture.startProcess(pipeline, List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"))
                .await(Duration.ofMinutes(5));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.rowsRead()).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
    }
}
