package dev.platform.etl.api.manifest;

import dev.platform.etl.api.EtlPipeline;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** One pipeline and the Secrets given beside it, decoded: Secret name, then key, then value. */
public record PipelineManifests(EtlPipeline pipeline, Map<String, Map<String, String>> secretData) implements Secrets {
    @Override
    public Optional<String> value(String secretName, String key) {
        return Optional.ofNullable(secretData.getOrDefault(secretName, Map.of()).get(key));
    }

    @Override
    public Set<String> confidentialValues() {
        return secretData.values().stream()
                .flatMap(data -> data.entrySet().stream().filter(e -> !e.getKey().equals(USERNAME_KEY)).map(Map.Entry::getValue))
                .filter(value -> !value.isBlank())
                .collect(Collectors.toUnmodifiableSet());
    }
}
