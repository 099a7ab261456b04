package dev.platform.etl.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.platform.etl.runner.support.TestPipelines.filmIndex;

import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.postgres.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runner that lost its lease never overwrites in Elasticsearch what the runner that took over wrote. */
class ElasticsearchFencingTest {
    private static final long READ_GATE = 7171;

    private final String elasticsearch = SharedElasticsearch.get().url();

    @TempDir
    Path dir;

    @Test
    void aRunnerThatLostItsLeaseWhileStalledNeverReplacesTheDocumentsOfTheRunThatTookOver() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_fenced");
        // the first runner's read of the fourth film, the second batch's first (before its title changes), waits at a gate
        gateReaderAt(fixture, fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 3 LIMIT 1"), "title NOT LIKE '% (newer)'");
        Path pipeline = fixture.writePipeline(filmIndex("fenced", index.name()).batchSize(3).tieBreaker("id")
                .query(RunnerFixture.GATED_FILM_QUERY));

        RunnerProcess stalled;
        RunOutput successor;
        try (Gate gate = fixture.closedGate(READ_GATE)) {
            // a heartbeat too rare to notice the lost lease before it writes again
            stalled = fixture.startProcess(pipeline, Jvm.SMALL, "--lease-ttl", "60s", "--heartbeat", "59s");
            RunnerProcess started = stalled;
            started.awaitReached("the runner committed its first batch and stalled reading the second",
                    () -> fixture.runningBatches("etl-test/fenced") == 1 && gate.hasWaiter());
            fixture.execute("UPDATE content.film_work SET title = title || ' (newer)'");
            fixture.expireLeases();
            successor = fixture.run(pipeline);
            gate.open();
        }
        RunOutput stalledOutput = stalled.await(Duration.ofMinutes(1));

        assertThat(successor.result()).as(successor.stdout()).isEqualTo("SUCCEEDED");
        assertThat(stalledOutput.message()).as(stalledOutput.stderr()).contains("lost the lease");
        List<String> ids = fixture.strings("SELECT id::text FROM content.film_work ORDER BY id");
        for (String id : ids.subList(ids.size() - (int) successor.rowsRead(), ids.size())) {
            assertThat(index.source(id).path("title").asText()).as("document %s, written by the run that took over", id).endsWith("(newer)");
        }
    }

    private static void gateReaderAt(RunnerFixture fixture, String filmId, String condition) throws Exception {
        fixture.gateReaderAt(filmId, condition, READ_GATE);
    }
}
