package dev.platform.etl.api.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.platform.etl.api.EtlPipeline;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads kubectl-style YAML files (several documents per file, {@code ---} separated): exactly one
 * {@code EtlPipeline} and the {@code Secret}s it references. Other kinds are ignored, as a file
 * meant for {@code kubectl apply} may hold them.
 */
public final class ManifestLoader {
    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    public PipelineManifests load(List<Path> files) throws ManifestException {
        List<EtlPipeline> pipelines = new ArrayList<>();
        Map<String, Map<String, String>> secrets = new HashMap<>();
        for (Path file : files) {
            for (JsonNode document : readDocuments(file)) {
                String kind = document.path("kind").asText("");
                if (kind.equals(EtlPipeline.KIND)) {
                    pipelines.add(toPipeline(file, document));
                } else if (kind.equals("Secret")) {
                    Secret secret = convertSecret(file, document);
                    secrets.put(secret.getMetadata().getName(), decode(file, secret));
                }
            }
        }
        if (pipelines.size() != 1) {
            throw new ManifestException("expected exactly one EtlPipeline in " + files + ", found " + pipelines.size());
        }
        return new PipelineManifests(pipelines.get(0), Map.copyOf(secrets));
    }

    public EtlPipeline parsePipeline(String yamlText) throws ManifestException {
        try {
            return toPipeline(Path.of("<inline>"), yaml.readTree(yamlText));
        } catch (IOException e) {
            throw new ManifestException("cannot parse pipeline: " + ManifestErrors.describeSyntax(e), e);
        }
    }

    private List<JsonNode> readDocuments(Path file) throws ManifestException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonParser parser = new YAMLFactory().createParser(reader);
             MappingIterator<JsonNode> documents = yaml.readValues(parser, JsonNode.class)) {
            List<JsonNode> result = new ArrayList<>();
            while (documents.hasNext()) {
                JsonNode node = documents.next();
                if (node != null && node.isObject()) {
                    result.add(node);
                }
            }
            return result;
        } catch (IOException | RuntimeException e) {
            throw new ManifestException(file + ": not readable as YAML: " + ManifestErrors.describeSyntax(e), e);
        }
    }

    private EtlPipeline toPipeline(Path file, JsonNode document) throws ManifestException {
        if (!EtlPipeline.API_VERSION.equals(document.path("apiVersion").asText())) {
            throw new ManifestException(file + ": apiVersion must be " + EtlPipeline.API_VERSION);
        }
        // status is written by the operator, never read from a user's file
        ((ObjectNode) document).remove("status");
        EtlPipeline pipeline = convertPipeline(file, document);
        if (pipeline.getMetadata() == null || pipeline.getMetadata().getName() == null) {
            throw new ManifestException(file + ": metadata.name is required");
        }
        if (pipeline.getMetadata().getNamespace() == null) {
            pipeline.getMetadata().setNamespace(EtlPipeline.DEFAULT_NAMESPACE);
        }
        return pipeline;
    }

    private EtlPipeline convertPipeline(Path file, JsonNode document) throws ManifestException {
        try {
            return yaml.treeToValue(document, EtlPipeline.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ManifestException(file + ": invalid EtlPipeline: " + ManifestErrors.describeMapping(e, true), e);
        }
    }

    /** A Secret that does not fit its type is described by where it is wrong, never by the values it holds. */
    private Secret convertSecret(Path file, JsonNode document) throws ManifestException {
        try {
            return yaml.treeToValue(document, Secret.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ManifestException(file + ": invalid Secret " + document.path("metadata").path("name").asText("")
                    + ": " + ManifestErrors.describeMapping(e, false));
        }
    }

    private static Map<String, String> decode(Path file, Secret secret) throws ManifestException {
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            for (Map.Entry<String, String> entry : secret.getData().entrySet()) {
                try {
                    byte[] bytes = Base64.getDecoder().decode(entry.getValue().replaceAll("\\s", ""));
                    values.put(entry.getKey(), new String(bytes, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new ManifestException(file + ": Secret " + secret.getMetadata().getName()
                            + ": data." + entry.getKey() + " is not base64");
                }
            }
        }
        // as in Kubernetes, stringData wins over data
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }
}
