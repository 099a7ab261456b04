package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.pipeline.PipelineBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runner streams: 200,000 rows pass through a JVM limited to 128 MB of heap, and rows too
 * wide for their batch size make smaller batches rather than exhaust the heap.
 */
class StreamingMemoryTest {
    private static final int FILMS = 200_000;

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandRowsFitIn128MegabytesOfHeap() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        Path pipeline = fixture.writePipeline(filmDim("big").batchSize(1000));

        RunOutput run = fixture.startProcess(pipeline, List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"))
                .await(Duration.ofMinutes(5));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.rowsRead()).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
    }

    /** A value larger than the whole heap cannot be read at all: the run still ends as every run ends. */
    @Test
    void aRowLargerThanTheHeapFailsTheRunWithItsSummaryAndReleasesTheLease() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        fixture.execute("CREATE TABLE analytics.values_copy (id int PRIMARY KEY, body text)");
        Path pipeline = fixture.writePipeline(pipeline("huge").batchSize(10)
                .query("SELECT 1 AS id, repeat('x', 100 * 1024 * 1024) AS body").postgresTarget("analytics.values_copy", "id"));

        RunOutput run = fixture.startProcess(pipeline, List.of("-Xmx64m", "-XX:+UseSerialGC")).await(Duration.ofMinutes(5));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.result()).isEqualTo("FAILED");
        assertThat(run.message()).containsIgnoringCase("out of memory");
        assertThat(fixture.strings("SELECT status FROM etl.pipeline_run")).containsExactly("FAILED");
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_state WHERE lease_holder IS NOT NULL")).as("the lease released").isZero();
    }

    /** 12,000 rows of 4 KB: a batch of 20,000 such rows would take several times a 64 MB heap. */
    @ParameterizedTest(name = "in keyset pages: {0}")
    @ValueSource(booleans = {false, true})
    void rowsTooWideForTheirBatchSizeAreReadInBatchesBoundedByBytes(boolean inKeysetPages) throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        fixture.execute("CREATE TABLE content.wide AS SELECT g AS id, repeat(md5(g::text), 128) AS body FROM generate_series(1, 12000) g");
        fixture.execute("CREATE TABLE analytics.values_copy (id int PRIMARY KEY, body text)");
        PipelineBuilder wide = pipeline("wide").batchSize(20_000).query("SELECT id, body FROM content.wide")
                .postgresTarget("analytics.values_copy", "id");
        Path pipeline = fixture.writePipeline(inKeysetPages ? wide.tieBreaker("id") : wide);

        RunOutput run = fixture.startProcess(pipeline, List.of("-Xmx64m", "-XX:+UseSerialGC")).await(Duration.ofMinutes(5));

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(run.summary().path("batches").asLong()).as("batches bounded by bytes").isGreaterThan(3);
        assertThat(fixture.checksum("analytics.values_copy", "id")).isEqualTo(fixture.checksum("content.wide", "id"));
    }
}
