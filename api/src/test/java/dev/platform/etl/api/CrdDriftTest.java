package dev.platform.etl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * crds/ (and the chart's copy) hold the CRD generated from these classes. After changing them, run
 * {@code make crds}, which runs this test with {@code -Dcrds.write=true} to rewrite both.
 */
class CrdDriftTest {
    static final String CRD = "etlpipelines.etl.platform.dev-v1.yml";
    private static final Path COMMITTED = Path.of("..", "crds", CRD);
    private static final Path CHART_COPY = Path.of("..", "helm", "etl-operator", "files", CRD);

    private static String generated;

    @BeforeAll
    static void generate(@TempDir Path dir) throws Exception {
        new CRDGenerator().customResourceClasses(EtlPipeline.class).forCRDVersions("v1")
                .withPostProcessor(new DeclaredColumnOrder()).inOutputDir(dir.toFile()).generate();
        generated = Files.readString(dir.resolve(CRD));
        if (Boolean.getBoolean("crds.write")) {
            Files.writeString(COMMITTED, generated);
            Files.writeString(CHART_COPY, generated);
        }
    }

    @Test
    void theCommittedCrdsAreTheOnesGeneratedFromTheApiClasses() throws Exception {
        assertThat(Files.readString(COMMITTED)).as("crds/" + CRD + " is out of date: run `make crds`").isEqualTo(generated);
        assertThat(Files.readString(CHART_COPY)).as("the chart's copy of " + CRD + " is out of date: run `make crds`").isEqualTo(generated);
    }

    @Test
    void everyFieldHasADescriptionForKubectlExplain() throws Exception {
        JsonNode schema = new ObjectMapper(new YAMLFactory()).readTree(generated)
                .at("/spec/versions/0/schema/openAPIV3Schema/properties");
        List<String> undescribed = new ArrayList<>();
        for (String root : List.of("spec", "status")) {
            collectUndescribed(root, schema.get(root), undescribed);
        }

        assertThat(undescribed).as("fields without @JsonPropertyDescription").isEmpty();
    }

    @Test
    void printerColumnsComeInTheOrderTheResourceDeclaresThem() throws Exception {
        JsonNode columns = new ObjectMapper(new YAMLFactory()).readTree(generated).at("/spec/versions/0/additionalPrinterColumns");
        List<String> names = new ArrayList<>();
        columns.forEach(column -> names.add(column.get("name").asText()));

        assertThat(names).containsExactly("Phase", "Last Result", "Rows Read", "Rows Written", "Last Run", "Age", "Progress");
    }

    /** A field's description is on its property; objects' own fields below it, list items' fields too. */
    private static void collectUndescribed(String path, JsonNode property, List<String> undescribed) {
        if (!path.equals("spec") && !path.equals("status") && !property.hasNonNull("description")) {
            undescribed.add(path);
        }
        JsonNode items = property.get("items");
        JsonNode object = items != null ? items : property;
        if (object.has("properties") && !path.endsWith(".conditions")) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.get("properties").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectUndescribed(path + "." + field.getKey(), field.getValue(), undescribed);
            }
        }
    }

    /** The generator sorts printer columns by path; kubectl shows them in the order the CRD lists them. */
    private static final class DeclaredColumnOrder implements CRDPostProcessor {
        private final List<String> declared = Arrays.stream(EtlPipeline.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();

        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            for (CustomResourceDefinitionVersion version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
                version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
                        (CustomResourceColumnDefinition column) -> declared.indexOf(column.getName())));
            }
            return crd;
        }
    }
}
