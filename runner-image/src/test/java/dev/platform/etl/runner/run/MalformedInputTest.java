package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.FILM_QUERY;
import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbers and durations that cannot mean what they say, and names that would share a control
 * key, are INVALID (exit 2) with the field named, before any lease: no control schema, no run row.
 */
class MalformedInputTest {
    @TempDir
    Path dir;

    private RunnerFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = RunnerFixture.withFilms(dir, 3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a fractional batch size|  batchSize: 2|  batchSize: 1.5|spec.batchSize",
            "a statement timeout beyond any number|      query:|      statementTimeout: 99999999999999999999s\\n      query:"
                    + "|spec.tasks[0].sqlReader.statementTimeout",
            "a statement timeout beyond PostgreSQL's milliseconds|      query:|      statementTimeout: 9999999999ms\\n      query:"
                    + "|spec.tasks[0].sqlReader.statementTimeout",
            "a zero backoff|initialBackoff: \"100ms\"|initialBackoff: 0ms|spec.retry.initialBackoff",
            "a backoff whose milliseconds overflow|maxBackoff: \"1s\"|maxBackoff: 999999999999h|spec.retry.maxBackoff",
            "a namespace with a slash|namespace: \"etl-test\"|namespace: etl/test|metadata.namespace",
            "a name with a slash|name: \"malformed\"|name: mal/formed|metadata.name"})
    // values the api's types cannot hold are patched into the manifest's text
    void aFieldThatCannotMeanWhatItSaysIsInvalidAndNamed(String what, String from, String to, String field) throws Exception {
        String yaml = filmDim("malformed").batchSize(2).yaml();
        assertThat(yaml).contains(from);

        RunOutput run = fixture.run(fixture.writePipeline("malformed", yaml.replace(from, to.replace("\\n", "\n"))));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains(field);
        assertNothingStarted();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--heartbeat,0ms", "--heartbeat,99999999999999999999s", "--lease-ttl,0s", "--lease-ttl,1.5s"})
    void aLeaseOptionThatCannotBeKeptIsInvalidAndLeavesNoRunningRow(String option, String value) throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(filmDim("lease").batchSize(2)), option, value);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.message()).contains(option);
        assertNothingStarted();
    }

    @Test
    void aDurationThatIsNotOneNamesItsField() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("lag").batchSize(2)
                .incremental("modified", "id").lag("5 minutes").query(FILM_QUERY).transform(Transform.rename("id", "film_id").andDrop("type"))
                .postgresTarget("analytics.film_dim", "film_id")));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.incremental.lag: '5 minutes' is not a duration");
        assertNothingStarted();
    }

    private void assertNothingStarted() throws Exception {
        assertThat(fixture.text("SELECT to_regclass('etl.pipeline_run')::text")).as("no control schema, no run row").isNull();
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isZero();
    }
}
