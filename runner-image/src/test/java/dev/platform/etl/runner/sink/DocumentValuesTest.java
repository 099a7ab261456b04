package dev.platform.etl.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.PipelineYaml;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values JSON cannot hold (numeric and float NaN, the infinities) become null in a document; the others arrive as they are. */
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
        Path pipeline = fixture.writePipeline("specials", PipelineYaml.pipeline("specials", "Full", 10, "",
                "SELECT id, n, f FROM content.specials", "", "elasticsearch: {secretRef: search, index: special_numbers, idColumn: id}"));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(index.source("1").path("n").isNull()).isTrue();
        assertThat(index.source("1").path("f").isNull()).isTrue();
        assertThat(index.source("2").path("n").isNull()).isTrue();
        assertThat(index.source("2").path("f").isNull()).isTrue();
        assertThat(index.source("3").path("n").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(index.source("3").path("f").asDouble()).isEqualTo(0.25);
    }
}
