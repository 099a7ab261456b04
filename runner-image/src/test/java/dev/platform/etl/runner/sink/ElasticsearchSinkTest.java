package dev.platform.etl.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.platform.etl.runner.support.TestPipelines.filmIndex;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Elasticsearch sink on a real Elasticsearch: idempotent bulk upserts with stable ids, versions on replay, and its allowlist. */
class ElasticsearchSinkTest {
    private static final int FILMS = 21;

    private final String elasticsearch = SharedElasticsearch.get().url();

    @TempDir
    Path dir;

    @Test
    void aRowWithoutAnIdFailsItsBatchInsteadOfGettingARandomIdOnEveryReplay() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_null_id");
        String fourth = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 3 LIMIT 1");
        Path pipeline = fixture.writePipeline(filmIndex("es-null", index.name()).batchSize(3).tieBreaker("id")
                .query("SELECT id, NULLIF(id, '" + fourth + "') AS film_id, title FROM content.film_work")
                .noTransforms().transform(Transform.drop("id").andSet("source_system", "films")));

        RunOutput first = fixture.run(pipeline);
        RunOutput replay = fixture.run(pipeline);

        for (RunOutput run : List.of(first, replay)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
            assertThat(run.message()).contains("row 1 of 3 in the batch has a NULL film_id, a key column");
        }
        assertThat(index.count()).as("the first batch only, and no document without an id").isEqualTo(3);
    }

    @Test
    void runningTheSamePipelineTwiceKeepsOneDocumentPerRowWithItsKeyAsId() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_twice");
        Path pipeline = fixture.writePipeline(filmIndex("es", index.name()).batchSize(2));

        RunOutput first = fixture.run(pipeline);
        long bulksAfterFirst = index.bulkOperations();
        RunOutput second = fixture.run(pipeline);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).isZero();
        assertThat(second.rowsWritten()).isEqualTo(FILMS);
        assertThat(index.count()).isEqualTo(FILMS);
        assertThat(index.seqNos().keySet()).hasSize(FILMS)
                .isEqualTo(new HashSet<>(fixture.strings("SELECT id::text FROM content.film_work")));
        assertThat(bulksAfterFirst).as("one bulk request per batch").isEqualTo(11);
        assertThat(index.bulkOperations()).isEqualTo(22);
        String id = fixture.text("SELECT md5('film-4')::uuid::text");
        assertThat(index.source(id).toString()).isEqualTo(
                "{\"film_id\":\"" + id + "\",\"title\":\"Film #4\",\"description\":\"Deterministic demo film number 4\","
                        + "\"creation_date\":\"1970-01-05\",\"rating\":4.8,\"type\":\"tv_show\","
                        + "\"modified\":\"2024-01-01T00:00:04Z\",\"source_system\":\"films\"}");
    }

    @Test
    void incrementallyOnlyTheTouchedDocumentChanges() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_incremental");
        Path pipeline = fixture.writePipeline(filmIndex("es", index.name()).batchSize(4).incremental("modified", "id"));
        fixture.run(pipeline);
        Map<String, Long> before = index.seqNos();

        RunOutput unchanged = fixture.run(pipeline);
        String touched;
        try (Connection connection = fixture.connect()) {
            touched = DemoData.touchOne(connection);
        }
        RunOutput afterTouch = fixture.run(pipeline);
        Map<String, Long> after = index.seqNos();

        assertThat(unchanged.rowsRead()).isZero();
        assertThat(unchanged.rowsWritten()).isZero();
        assertThat(afterTouch.rowsRead()).isEqualTo(1);
        assertThat(afterTouch.rowsWritten()).isEqualTo(1);
        Map<String, Long> changed = new HashMap<>(after);
        changed.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        assertThat(changed).containsOnlyKeys(touched);
        assertThat(index.source(touched).path("title").asText()).endsWith("(touched)");
    }

    @Test
    void aStaleReplayLeavesTheNewerDocumentInPlace() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_replay");
        Path pipeline = fixture.writePipeline(filmIndex("es", index.name()).batchSize(5).incremental("modified", "id"));
        fixture.run(pipeline);
        String stale = fixture.text("SELECT checkpoint::text FROM etl.pipeline_state");
        String first = fixture.text("SELECT md5('film-1')::uuid::text");
        fixture.execute("UPDATE content.film_work SET modified = now(), title = 'newer' WHERE id = '" + first + "'");
        fixture.run(pipeline);

        // replay: the old checkpoint comes back, and the old row with it (a late runner, a restored backup)
        fixture.execute("UPDATE etl.pipeline_state SET checkpoint = '" + stale + "'");
        fixture.execute("UPDATE content.film_work SET title = 'older', modified = '2024-12-31T00:00:00Z' WHERE id = '" + first + "'");
        RunOutput replay = fixture.run(pipeline);

        assertThat(replay.exitCode()).as(replay.stderr()).isZero();
        assertThat(replay.rowsRead()).isEqualTo(1);
        assertThat(replay.rowsWritten()).as("the older document was not written").isZero();
        assertThat(index.source(first).path("title").asText()).isEqualTo("newer");
    }

    @Test
    void anIndexOutsideTheAllowlistIsInvalidAndNeverCreated() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 5);
        fixture.withElasticsearch(elasticsearch, "films_allowed");
        SearchIndex forbidden = new SearchIndex(elasticsearch, "films_forbidden");
        forbidden.delete();
        Path pipeline = fixture.writePipeline(filmIndex("es", forbidden.name()).batchSize(2));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.target.elasticsearch.index: 'films_forbidden' is not in the allowlist");
        assertThat(forbidden.exists()).isFalse();
    }
}
