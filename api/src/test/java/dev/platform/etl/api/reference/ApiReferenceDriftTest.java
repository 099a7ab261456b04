package dev.platform.etl.api.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/etlpipeline.md is the reference generated from the committed CRD (which
 * CrdDriftTest holds to the classes). After changing the classes, {@code make crds docs}
 * regenerates both; {@code make docs} runs this test with {@code -Ddocs.write=true}.
 */
class ApiReferenceDriftTest {
    private static final Path CRD = Path.of("..", "crds", "etlpipelines.etl.platform.dev-v1.yml");
    private static final Path PAGE = Path.of("..", "docs", "reference", "etlpipeline.md");

    @Test
    void theApiReferenceIsTheOneGeneratedFromTheCrd() throws Exception {
        JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(CRD));
        String generated = CrdReference.render(crd);
        if (Boolean.getBoolean("docs.write")) {
            Files.createDirectories(PAGE.getParent());
            Files.writeString(PAGE, generated);
        }

        assertThat(Files.exists(PAGE) ? Files.readString(PAGE) : "").as("docs/reference/etlpipeline.md is out of date: run `make docs`")
                .isEqualTo(generated);
        assertThat(generated).contains("| `spec.mode` |", "| `status.phase` |");
    }
}
