package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ETL_LOG_LEVEL and ETL_LOG_FORMAT, as the operator sets them in every runner pod, in the runner's own process. */
class LogFormatTest {
    private static final int FILMS = 6;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private RunnerFixture fixture;
    private Path pipeline;

    @BeforeEach
    void fixture() {
        fixture = RunnerFixture.withFilms(dir, FILMS);
        pipeline = fixture.writePipeline(filmDim("logged").batchSize(2).tieBreaker("id"));
    }

    @Test
    void withJsonEveryLogLineIsOneObjectAndTheProgressIsStillRead() throws Exception {
        fixture.environment().put(LogSettings.FORMAT, "json");
        RunOutput run = fixture.startProcess(pipeline, Jvm.SMALL).await(Duration.ofMinutes(1));

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        List<String> lines = run.stderr().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.path("timestamp").asLong()).as(line).isPositive();
            assertThat(entry.path("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
            assertThat(entry.path("loggerName").asText()).as(line).isNotBlank();
            assertThat(entry.path("formattedMessage").asText()).as(line).isNotBlank();
        });
        assertThat(RunnerProgress.lastIn(run.stderr())).hasValueSatisfying(progress -> {
            assertThat(progress.rowsRead()).isEqualTo(FILMS);
            assertThat(progress.batches()).isEqualTo(FILMS / 2);
        });
    }

    @Test
    void theLevelHidesWhatIsBelowIt() throws Exception {
        fixture.environment().put(LogSettings.LEVEL, "warn");
        RunOutput run = fixture.startProcess(pipeline, Jvm.SMALL).await(Duration.ofMinutes(1));

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(run.stderr()).doesNotContain("[INFO]").doesNotContain(RunnerProgress.MARKER);
        assertThat(run.summary().path("rowsRead").asLong()).as("the summary is not a log line").isEqualTo(FILMS);
    }

    @Test
    void aMisspeltSettingIsRefusedInOneLineAndNothingRuns() throws Exception {
        fixture.environment().put(LogSettings.LEVEL, "verbose");
        RunOutput run = fixture.startProcess(pipeline, Jvm.SMALL).await(Duration.ofMinutes(1));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("etl-runner: ETL_LOG_LEVEL 'verbose' is not one of error, warn, info, debug, trace; nothing was run");
        assertThat(fixture.text("SELECT to_regclass('etl.pipeline_run')::text")).as("no control schema, no run row").isNull();
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isZero();
    }
}
