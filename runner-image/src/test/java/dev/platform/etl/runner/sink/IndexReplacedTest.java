package dev.platform.etl.runner.sink;

import static dev.platform.etl.runner.support.TestPipelines.filmIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.pipeline.PipelineBuilder;
import dev.platform.etl.testkit.postgres.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The target index is deleted while a run writes it. Elasticsearch creates it again on the next
 * bulk, empty but for that bulk: the run notices, fails, and the next run loads the index from
 * the start instead of trusting a checkpoint that speaks of documents no longer there.
 */
class IndexReplacedTest {
    private static final int FILMS = 12;
    private static final long GATE = 8181;

    private final String elasticsearch = SharedElasticsearch.get().url();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void anIndexDeletedMidRunFailsTheRunAndTheNextRunLoadsItWhole(Mode mode) throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_replaced_" + mode.name().toLowerCase());
        PipelineBuilder replaced = filmIndex("replaced", index.name()).batchSize(3).query(RunnerFixture.GATED_FILM_QUERY);
        Path pipeline = fixture.writePipeline(mode == Mode.Full ? replaced.tieBreaker("id") : replaced.incremental("modified", "id"));

        RunOutput failed = runDeletingTheIndexMidway(fixture, index, pipeline);

        assertThat(failed.result()).as(failed.stderr()).isEqualTo("FAILED");
        assertThat(failed.message()).contains("was deleted and created again while the run wrote it");
        RunOutput next = fixture.run(pipeline);
        assertThat(next.result()).as(next.stderr()).isEqualTo("SUCCEEDED");
        assertThat(next.rowsRead()).as("read from the start").isEqualTo(FILMS);
        assertThat(index.count()).isEqualTo(FILMS);
    }

    /** Created again by a bulk, the index maps its fields by their first values: the next run says so, and loads it once it is gone. */
    @Test
    void anIndexCreatedAgainWithOtherMappingsIsNamedAndReloadedOnceDeleted() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_remapped");
        Path pipeline = fixture.writePipeline(filmIndex("remapped", index.name()).batchSize(3).incremental("modified", "id")
                .query(RunnerFixture.GATED_FILM_QUERY).mappings("{\"properties\": {\"title\": {\"type\": \"keyword\"}}}"));
        assertThat(runDeletingTheIndexMidway(fixture, index, pipeline).result()).isEqualTo("FAILED");

        RunOutput refused = fixture.run(pipeline);
        assertThat(refused.result()).isEqualTo("FAILED");
        assertThat(refused.message()).contains("its mappings are not the pipeline's (title is text, not keyword)");
        index.delete();
        RunOutput reload = fixture.run(pipeline);

        assertThat(reload.result()).as(reload.stderr()).isEqualTo("SUCCEEDED");
        assertThat(reload.rowsRead()).isEqualTo(FILMS);
        assertThat(index.count()).isEqualTo(FILMS);
    }

    /** The reader stalls at the 8th film, in the third batch; the index is deleted, then the run goes on. */
    private static RunOutput runDeletingTheIndexMidway(RunnerFixture fixture, SearchIndex index, Path pipeline) throws Exception {
        fixture.gateReaderAt(fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 7 LIMIT 1"), "true", GATE);
        try (Gate gate = fixture.closedGate(GATE)) {
            CompletableFuture<RunOutput> running = CompletableFuture.supplyAsync(() -> fixture.run(pipeline));
            await("the reader stalled in the third batch").atMost(Duration.ofMinutes(1)).until(gate::hasWaiter);
            await("the first batches were written").atMost(Duration.ofMinutes(1)).until(() -> index.exists() && index.count() > 0);
            index.delete();
            gate.open();
            return running.get(1, TimeUnit.MINUTES);
        }
    }
}
