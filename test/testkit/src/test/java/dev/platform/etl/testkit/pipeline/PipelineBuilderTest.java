package dev.platform.etl.testkit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.api.validation.PipelineValidator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The YAML a builder writes is the pipeline it describes, as the runner and the operator load it. */
class PipelineBuilderTest {

    @Test
    void theDemoPipelineReadsBackAsBuiltAndIsValid() throws Exception {
        String yaml = DemoPipelines.filmDim("film-dim").namespace("etl-test").incremental("modified", "id").batchSize(5)
                .runRequest("r-1").yaml();

        EtlPipeline loaded = new ManifestLoader().parsePipeline(yaml);

        EtlPipelineSpec spec = loaded.getSpec();
        assertThat(loaded.qualifiedName()).isEqualTo("etl-test/film-dim");
        assertThat(spec.getMode()).isEqualTo(Mode.Incremental);
        assertThat(spec.getBatchSize()).isEqualTo(5);
        assertThat(spec.getRunRequest()).isEqualTo("r-1");
        assertThat(spec.getIncremental().getCursorColumn()).isEqualTo("modified");
        assertThat(spec.getTasks().get(0).getSqlReader().getQuery()).isEqualTo(DemoPipelines.FILM_QUERY);
        assertThat(spec.getTasks().get(1).getTransform().getRename()).isEqualTo(Map.of("id", "film_id"));
        assertThat(spec.getTasks().get(1).getTransform().getSet().get("source_system").asText()).isEqualTo("films");
        assertThat(spec.getTarget().getPostgres().getKeyColumns()).isEqualTo(List.of("film_id"));
        assertThat(spec.getRetry().getMaxAttempts()).isEqualTo(3);
        assertThat(new PipelineValidator(new Allowlist(Set.of("analytics.film_dim"), Set.of())).validate(loaded)).isEmpty();
    }

    @Test
    void aQueryWithQuotesAndNewlinesIsWrittenAsItIs() throws Exception {
        String query = "SELECT 'a\\' AS q, \"x\" AS r -- '\nFROM t";

        EtlPipeline loaded = new ManifestLoader().parsePipeline(PipelineBuilder.named("p").query(query).postgresTarget("a.b", "id").yaml());

        assertThat(loaded.getSpec().getTasks().get(0).getSqlReader().getQuery()).isEqualTo(query);
    }
}
