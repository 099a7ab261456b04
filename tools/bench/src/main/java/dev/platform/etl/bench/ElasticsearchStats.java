package dev.platform.etl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Elasticsearch node spent, from its own {@code _nodes/stats}: CPU, time indexing, in
 * garbage collection, merging and refreshing. A snapshot; the difference of two measures an interval.
 */
record ElasticsearchStats(long cpuMillis, long indexingMillis, long gcMillis, long mergeMillis, long refreshMillis, long indexed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ElasticsearchStats of(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/_nodes/_local/stats/process,jvm,indices")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode node = JSON.readTree(response.body()).path("nodes").elements().next();
        long gc = 0;
        for (JsonNode collector : node.path("jvm").path("gc").path("collectors")) {
            gc += collector.path("collection_time_in_millis").asLong();
        }
        JsonNode indices = node.path("indices");
        return new ElasticsearchStats(node.path("process").path("cpu").path("total_in_millis").asLong(),
                indices.path("indexing").path("index_time_in_millis").asLong(), gc,
                indices.path("merges").path("total_time_in_millis").asLong(), indices.path("refresh").path("total_time_in_millis").asLong(),
                indices.path("indexing").path("index_total").asLong());
    }

    ElasticsearchStats since(ElasticsearchStats before) {
        return new ElasticsearchStats(cpuMillis - before.cpuMillis, indexingMillis - before.indexingMillis, gcMillis - before.gcMillis,
                mergeMillis - before.mergeMillis, refreshMillis - before.refreshMillis, indexed - before.indexed);
    }

    /** Each figure in milliseconds per 1,000 documents. */
    Map<String, Object> per1000(long documents) {
        Map<String, Object> figures = new LinkedHashMap<>();
        double thousands = documents / 1000.0;
        figures.put("cpuMsPer1000Docs", cpuMillis / thousands);
        figures.put("indexingMsPer1000Docs", indexingMillis / thousands);
        figures.put("gcMsPer1000Docs", gcMillis / thousands);
        figures.put("mergeMsPer1000Docs", mergeMillis / thousands);
        figures.put("refreshMsPer1000Docs", refreshMillis / thousands);
        figures.put("indexOperationsPerDoc", indexed / (double) documents);
        return figures;
    }

    String describe(long documents) {
        double thousands = documents / 1000.0;
        return String.format("ES per 1k docs: CPU %.0f ms, indexing %.0f ms, GC %.0f ms, merges %.0f ms, refresh %.0f ms, %.2f index ops/doc",
                cpuMillis / thousands, indexingMillis / thousands, gcMillis / thousands, mergeMillis / thousands, refreshMillis / thousands,
                indexed / (double) documents);
    }
}
