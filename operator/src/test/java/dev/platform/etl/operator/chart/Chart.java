package dev.platform.etl.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The Helm chart, linted and rendered with helm-java, inside the JVM. */
final class Chart {
    static final Path DIRECTORY = Path.of("..", "helm", "etl-operator");
    static final String RELEASE_NAMESPACE = "etl-system";
    /** The release name the README installs with. */
    static final String RELEASE = "etl-operator";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Chart() {
    }

    static LintResult lint(Path chart) {
        return new Helm(chart).lint().strict().call();
    }

    /** A copy of the chart whose values.yaml is the given file, to lint it with other values. */
    static Path copyWithValues(Path target, Path values) throws IOException {
        try (Stream<Path> files = Files.walk(DIRECTORY)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(DIRECTORY.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.copy(values, target.resolve("values.yaml"), StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    static String template(Path valuesFile, Map<String, Object> settings) {
        return template(RELEASE, valuesFile, settings);
    }

    static String template(String release, Path valuesFile, Map<String, Object> settings) {
        TemplateCommand template = new Helm(DIRECTORY).template().withName(release).withNamespace(RELEASE_NAMESPACE);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            template = template.set(setting.getKey(), setting.getValue());
        }
        return template.call();
    }

    /** The rendered manifests as fabric8 objects. */
    static List<HasMetadata> render(Path valuesFile, Map<String, Object> settings) {
        return render(RELEASE, valuesFile, settings);
    }

    static List<HasMetadata> render(String release, Path valuesFile, Map<String, Object> settings) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : template(release, valuesFile, settings).split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
                resources.add(SERIALIZATION.unmarshal(document));
            }
        }
        return resources;
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
