package dev.platform.etl.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The JSON files of {@code tools/bench/results/}, newest first. */
record BenchResults(List<Result> newestFirst) {
    /** One run's file: its name ({@code yyyyMMdd-HHmmss.json}, or {@code operator-} and that) and content. */
    record Result(String file, JsonNode json) {
        /** The day it was measured, from its name: {@code 2026-11-26}. */
        String day() {
            String stamp = file.replace("operator-", "").substring(0, 8);
            return stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8);
        }

        String machine() {
            JsonNode machine = json.path("machine");
            return "%d cores, %d GiB, %s, JDK %s".formatted(machine.path("cores").asInt(), machine.path("memoryGiB").asInt(),
                    machine.path("os").asText().replaceAll("^Linux (\\d+\\.\\d+).*", "Linux $1"), machine.path("java").asText());
        }
    }

    static BenchResults load(Path folder) {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(folder)) {
            return new BenchResults(files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing((Path file) -> file.getFileName().toString().replace("operator-", "")).reversed())
                    .map(file -> new Result(file.getFileName().toString(), read(json, file)))
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** The newest run that measured a case: its file holds {@code key}, and passes {@code matches}. */
    Result newest(String key, Predicate<JsonNode> matches) {
        return find(key, matches).orElseThrow(() -> new IllegalStateException("no result in tools/bench/results holds " + key));
    }

    Optional<Result> find(String key, Predicate<JsonNode> matches) {
        return newestFirst.stream().filter(result -> result.json().has(key) && matches.test(result.json())).findFirst();
    }

    private static JsonNode read(ObjectMapper json, Path file) {
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
