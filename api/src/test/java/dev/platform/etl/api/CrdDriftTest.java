package dev.platform.etl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD committed under crds/ is the one generated from these classes: run `make crds` after changing them. */
class CrdDriftTest {
    static final String CRD = "etlpipelines.etl.platform.dev-v1.yml";

    @Test
    void theCommittedCrdMatchesTheGeneratedOne() throws Exception {
        String generated;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + CRD)) {
            assertThat(in).as("the crd-generator plugin wrote " + CRD).isNotNull();
            generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String committed = Files.readString(Path.of("..", "crds", CRD));

        assertThat(committed).as("crds/" + CRD + " is out of date: run `make crds`").isEqualTo(generated);
    }
}
