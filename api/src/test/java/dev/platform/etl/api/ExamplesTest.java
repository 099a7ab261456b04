package dev.platform.etl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.spec.TargetSpec;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.api.validation.PipelineValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pipeline in examples/ is one a user can apply as it is: it loads, and it is valid once its target is allowlisted. */
class ExamplesTest {
    static Stream<Path> pipelines() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).filter(ExamplesTest::holdsAPipeline).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("pipelines")
    void loadsAndIsValid(Path example) throws Exception {
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(Files.readString(example));
        TargetSpec target = pipeline.getSpec().effectiveTarget();
        Allowlist allowlist = new Allowlist(
                target.getPostgres() == null ? Set.of() : Set.of(target.getPostgres().getTable()),
                target.getElasticsearch() == null ? Set.of() : Set.of(target.getElasticsearch().writtenName()));

        assertThat(new PipelineValidator(allowlist).validate(pipeline)).as(example.toString()).isEmpty();
    }

    private static boolean holdsAPipeline(Path file) {
        try {
            return Files.readString(file).contains("kind: EtlPipeline");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
