package dev.platform.etl.runner.sink;

import static dev.platform.etl.runner.support.TestPipelines.filmIndex;
import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a document holds: each value with its JSON type, values JSON cannot hold (numeric and float
 * NaN, the infinities) as null, and a document its index mapping rejects named in the failure.
 */
class DocumentValuesTest {
    private final String elasticsearch = SharedElasticsearch.get().url();

    @TempDir
    Path dir;

    @Test
    void notANumberAndTheInfinitiesBecomeNullAndEveryOtherNumberArrives() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "special_numbers");
        fixture.execute("""
                CREATE TABLE content.specials (id int PRIMARY KEY, n numeric, f float8);
                INSERT INTO content.specials VALUES (1, 'NaN', 'NaN'), (2, 'Infinity', '-Infinity'), (3, 12.5, 0.25)""");
        Path pipeline = fixture.writePipeline(pipeline("specials").batchSize(10).query("SELECT id, n, f FROM content.specials")
                .elasticsearchTarget("special_numbers", "id"));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(index.source("1").path("n").isNull()).isTrue();
        assertThat(index.source("1").path("f").isNull()).isTrue();
        assertThat(index.source("2").path("n").isNull()).isTrue();
        assertThat(index.source("2").path("f").isNull()).isTrue();
        assertThat(index.source("3").path("n").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(index.source("3").path("f").asDouble()).isEqualTo(0.25);
    }

    @Test
    void eachValueIsSentWithItsJsonType() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 1);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_typed");
        String query = "SELECT id AS film_id, true AS flag, 9007199254740993::int8 AS big, 12.5000::numeric(12,4) AS price, "
                + "'NaN'::float8 AS ratio, '{\"a\": [1, 2]}'::jsonb AS tags, '[3, 4]'::json AS raw, "
                + "timestamptz '2024-01-01 00:00:00.123456+02' AS at, NULL::text AS nothing FROM content.film_work";
        Path pipeline = fixture.writePipeline(filmIndex("typed", index.name()).batchSize(10).query(query)
                .noTransforms().transform(Transform.set("source_system", "films")));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String id = fixture.text("SELECT id::text FROM content.film_work");
        assertThat(index.source(id).toString()).isEqualTo("{\"film_id\":\"" + id + "\",\"flag\":true,\"big\":9007199254740993,"
                + "\"price\":12.5,\"ratio\":null,\"tags\":{\"a\":[1,2]},\"raw\":[3,4],"
                + "\"at\":\"2023-12-31T22:00:00.123456Z\",\"nothing\":null,\"source_system\":\"films\"}");
    }

    @Test
    void aDocumentTheMappingRejectsFailsTheRunNamingItAndKeepsEarlierBatches() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_mapping");
        String seventh = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1");
        String sixth = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 5 LIMIT 1");
        fixture.execute("UPDATE content.film_work SET description = CASE WHEN id = '" + seventh + "' THEN 'not a date' ELSE '2024-01-01' END");
        Path pipeline = fixture.writePipeline(filmIndex("es", index.name()).batchSize(2).tieBreaker("id")
                .mappings("{\"properties\": {\"description\": {\"type\": \"date\"}}}"));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.message()).contains("document '" + seventh + "' rejected by Elasticsearch").contains("description");
        // the fifth batch may have been sent while the fourth was in flight: the checkpoint still stops before the fourth
        assertThat(run.summary().path("batches").asLong()).isEqualTo(3);
        assertThat(fixture.text("SELECT full_load_checkpoint->>'tieBreaker' FROM etl.pipeline_state")).isEqualTo(sixth);
        assertThat(index.seqNos().keySet()).containsAll(fixture.strings("SELECT id::text FROM content.film_work ORDER BY id LIMIT 6"))
                .doesNotContain(seventh);
    }
}
