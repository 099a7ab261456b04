package dev.platform.etl.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/chart-values.md is the chart's values, generated from values.yaml and
 * values.schema.json. {@code make docs} runs this test with {@code -Ddocs.write=true} to rewrite it.
 */
class ValuesReferenceDriftTest {
    private static final Path CHART = Path.of("..", "helm", "etl-operator");
    private static final Path PAGE = Path.of("..", "docs", "reference", "chart-values.md");

    @Test
    void theValuesReferenceIsTheOneGeneratedFromTheChart() throws Exception {
        String generated = ValuesReference.render(new ObjectMapper().readTree(CHART.resolve("values.schema.json").toFile()),
                Files.readString(CHART.resolve("values.yaml")));
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(PAGE, generated);
        }

        assertThat(Files.exists(PAGE) ? Files.readString(PAGE) : "").as("docs/reference/chart-values.md is out of date: run `make docs`")
                .isEqualTo(generated);
        assertThat(generated).contains("| `runner.log.level` | string | `\"info\"` | one of `error`");
    }
}
