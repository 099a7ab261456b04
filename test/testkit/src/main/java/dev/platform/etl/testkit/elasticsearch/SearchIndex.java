package dev.platform.etl.testkit.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** What a user checks in an Elasticsearch index: documents, ids, versions, bulk statistics. */
public final class SearchIndex {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final String index;

    public SearchIndex(String url, String index) {
        this.url = url;
        this.index = index;
    }

    public String name() {
        return index;
    }

    public boolean exists() throws Exception {
        return send("HEAD", "/" + index, null).statusCode() == 200;
    }

    public void delete() throws Exception {
        send("DELETE", "/" + index, null);
    }

    public void create(String body) throws Exception {
        HttpResponse<String> response = send("PUT", "/" + index, body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("cannot create " + index + ": " + response.body());
        }
    }

    public long count() throws Exception {
        send("POST", "/" + index + "/_refresh", null);
        return json(send("GET", "/" + index + "/_count", null)).path("count").asLong();
    }

    /**
     * Indexes a document as a late writer would, with an external_gte version: the HTTP status, 409
     * when the index holds a newer version of it (or its deletion).
     */
    public int indexWithVersion(String id, long version, String document) throws Exception {
        return send("PUT", "/" + index + "/_doc/" + id + "?version=" + version + "&version_type=external_gte", document).statusCode();
    }

    /** The indices this name is an alias of; empty when it is no alias. */
    public java.util.List<String> indicesBehind() throws Exception {
        HttpResponse<String> response = send("GET", "/_alias/" + index, null);
        if (response.statusCode() == 404) {
            return java.util.List.of();
        }
        java.util.List<String> indices = new java.util.ArrayList<>();
        json(response).fieldNames().forEachRemaining(indices::add);
        return indices;
    }

    /** The document's source, or a missing node when there is none. */
    public JsonNode source(String id) throws Exception {
        return json(send("GET", "/" + index + "/_doc/" + id, null)).path("_source");
    }

    /** Every document's id and sequence number: a write changes the number, so this shows what changed. */
    public Map<String, Long> seqNos() throws Exception {
        send("POST", "/" + index + "/_refresh", null);
        JsonNode hits = json(send("POST", "/" + index + "/_search",
                "{\"size\": 10000, \"seq_no_primary_term\": true, \"_source\": false}")).path("hits").path("hits");
        Map<String, Long> seqNos = new HashMap<>();
        hits.forEach(hit -> seqNos.put(hit.path("_id").asText(), hit.path("_seq_no").asLong()));
        return seqNos;
    }

    /** Every document's _id. */
    public java.util.List<String> ids() throws Exception {
        return java.util.List.copyOf(seqNos().keySet());
    }

    /** Bulk operations the index's primary shards have executed: one per bulk request on a one-shard index. */
    public long bulkOperations() throws Exception {
        return json(send("GET", "/" + index + "/_stats/bulk", null)).path("_all").path("primaries").path("bulk")
                .path("total_operations").asLong();
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
