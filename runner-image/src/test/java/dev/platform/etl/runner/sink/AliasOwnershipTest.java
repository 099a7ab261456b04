package dev.platform.etl.runner.sink;

import static dev.platform.etl.runner.support.TestPipelines.filmIndex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load behind an allowlisted alias moves the alias and deletes the indices it leaves, but only
 * the ones a load created ({@code <alias>-<time>}): an index that is not on the allowlist, put
 * behind the alias by someone else, is never deleted.
 */
class AliasOwnershipTest {
    private final String elasticsearch = SharedElasticsearch.get().url();

    @TempDir
    Path dir;

    @Test
    void anAliasThatAlsoPointsToAnIndexNoLoadCreatedIsInvalidAndThatIndexStays() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 6);
        SearchIndex alias = fixture.withElasticsearch(elasticsearch, "acc_search");
        SearchIndex foreign = new SearchIndex(elasticsearch, "forbidden2");
        foreign.delete();
        foreign.create("{\"aliases\": {\"acc_search\": {}}}");
        Path pipeline = fixture.writePipeline(filmIndex("acc", alias.name()).batchSize(2).alias(alias.name()));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.message()).contains("spec.target.elasticsearch.alias: 'acc_search' points to forbidden2");
        assertThat(foreign.exists()).as("the index the pipeline did not create").isTrue();
        assertThat(alias.indicesBehind()).containsExactly("forbidden2");
        foreign.delete();
    }

    @Test
    void aReloadDeletesTheIndexItsPreviousLoadCreated() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 6);
        SearchIndex alias = fixture.withElasticsearch(elasticsearch, "acc_reload");
        Path pipeline = fixture.writePipeline(filmIndex("reload", alias.name()).batchSize(2).alias(alias.name()));
        assertThat(fixture.run(pipeline).result()).isEqualTo("SUCCEEDED");
        SearchIndex first = new SearchIndex(elasticsearch, alias.indicesBehind().get(0));

        RunOutput reload = fixture.run(pipeline);

        assertThat(reload.result()).as(reload.stderr()).isEqualTo("SUCCEEDED");
        assertThat(alias.indicesBehind()).hasSize(1).doesNotContain(first.name());
        assertThat(first.exists()).as("the previous load's own index is deleted").isFalse();
        assertThat(alias.count()).isEqualTo(6);
    }
}
