package dev.platform.etl.testkit.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the chart's alerts and dashboard ask Prometheus: their queries, and the series they name. */
public final class MonitoringQueries {
    /** Series of ours in PromQL: the operator's (etl_), its JVM's (jvm_) and its process's (process_). */
    private static final Pattern SERIES = Pattern.compile("\\b((?:etl|jvm|process)_[a-z0-9_]+)\\b");
    private static final Path FILES = Path.of("helm", "etl-operator", "files");

    private MonitoringQueries() {
    }

    /** Every panel's query in the dashboard, with its variables ($namespace, $pipeline) matching anything. */
    public static List<String> dashboard() {
        List<String> queries = new ArrayList<>();
        try {
            JsonNode dashboard = new ObjectMapper().readTree(Files.readString(RepositoryRoot.find().resolve(FILES).resolve("dashboard.json")));
            dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target ->
                    queries.add(target.path("expr").asText().replace("$namespace", ".*").replace("$pipeline", ".*"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    /** The series named by the alerts and the dashboard, with the suffixes Prometheus gives them (_total, _bucket). */
    public static Set<String> series() {
        Set<String> names = new TreeSet<>();
        try {
            for (String file : List.of("alerts.yaml", "dashboard.json")) {
                names.addAll(seriesIn(Files.readString(RepositoryRoot.find().resolve(FILES).resolve(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    public static Set<String> seriesIn(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SERIES.matcher(promql);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
