package dev.platform.etl.bench;

import dev.platform.etl.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PG→ES at each batch size against two ceilings on the runner's very documents: a lean loader
 * that sends its bulks one after another, and one that keeps two in flight. For each load, what
 * Elasticsearch itself spent per 1,000 documents, from its _nodes/stats, and the loader's own CPU.
 */
final class ElasticsearchLoads {
    /** The runner's documents as the lean loaders read them: the same fields, timestamps in ISO-8601 as the runner sends them. */
    private static final String BARE_QUERY = "SELECT id AS film_id, title, description, creation_date, rating, "
            + "to_json(modified) #>> '{}' AS modified, 'films' AS source_system FROM content.film_work";

    /** The runner's full load of the films into a fresh index at a batch size. */
    @FunctionalInterface
    interface RunnerLoad {
        RunnerJvm.Measurement into(int batch) throws Exception;
    }

    /** Deletes the index, so that every load starts from none. */
    @FunctionalInterface
    interface FreshIndex {
        void delete() throws Exception;
    }

    private final PostgresServer postgres;
    private final String url;
    private final String index;
    private final FreshIndex freshIndex;

    ElasticsearchLoads(PostgresServer postgres, String url, String index, FreshIndex freshIndex) {
        this.postgres = postgres;
        this.url = url;
        this.index = index;
        this.freshIndex = freshIndex;
    }

    Map<String, Object> measure(List<Integer> batchSizes, int rows, RunnerLoad runner) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        for (int batch : batchSizes) {
            double sequential = bareLoad(batch, 1, rows, results);
            double parallel = bareLoad(batch, 2, rows, results);
            freshIndex.delete();
            ElasticsearchStats before = ElasticsearchStats.of(url);
            RunnerJvm.Measurement full = runner.into(batch);
            ElasticsearchStats spent = ElasticsearchStats.of(url).since(before);
            System.out.println("    " + spent.describe(rows));
            results.put("runnerDocsPerSecond@" + batch, rows / full.runnerSeconds());
            results.put("runnerCpuSeconds@" + batch, full.cpuSeconds());
            results.put("runnerToSequentialRatio@" + batch, sequential / full.runnerSeconds());
            results.put("runnerToParallelRatio@" + batch, parallel / full.runnerSeconds());
            results.put("runnerElasticsearch@" + batch, spent.per1000(rows));
        }
        return results;
    }

    /** One lean load into a fresh index, {@code inFlight} bulks at a time: its seconds, and its figures into {@code results}. */
    private double bareLoad(int batch, int inFlight, int rows, Map<String, Object> results) throws Exception {
        freshIndex.delete();
        ElasticsearchStats before = ElasticsearchStats.of(url);
        double cpuBefore = CpuSeconds.thisProcess();
        long started = System.nanoTime();
        try (Connection source = postgres.connect("bench")) {
            BareBulkLoader.load(source, BARE_QUERY, url, index, "film_id", batch, inFlight);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = CpuSeconds.thisProcess() - cpuBefore;
        ElasticsearchStats spent = ElasticsearchStats.of(url).since(before);
        String name = inFlight == 1 ? "sequential" : "parallel";
        System.out.printf("  %s bulk loader (%d in flight), batch %d: %.1f s, its CPU %.1f s; %s%n", name, inFlight, batch, seconds, cpu,
                spent.describe(rows));
        results.put(name + "BulkDocsPerSecond@" + batch, rows / seconds);
        results.put(name + "BulkCpuSeconds@" + batch, cpu);
        results.put(name + "BulkElasticsearch@" + batch, spent.per1000(rows));
        return seconds;
    }
}
