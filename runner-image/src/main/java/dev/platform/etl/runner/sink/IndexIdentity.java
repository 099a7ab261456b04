package dev.platform.etl.runner.sink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.indices.IndexState;
import co.elastic.clients.elasticsearch.indices.get.Feature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Which index a pipeline writes: its UUID, kept in the control schema
 * ({@code etl.pipeline_state.target_index_uuid}). An index deleted and created again under the same
 * name (by hand, or by Elasticsearch itself on the next bulk, with dynamic mappings) has another
 * UUID: a run that finds one loads it from the start, and a write that lands in one fails the run.
 */
final class IndexIdentity {
    private final ElasticsearchClient client;
    private final PipelineStateColumn stored;

    IndexIdentity(ElasticsearchClient client, DataSource control, String pipeline) {
        this.client = client;
        this.stored = new PipelineStateColumn(control, pipeline, "target_index_uuid");
    }

    /** The index's UUID, or null when there is no such index. */
    String uuidOf(String index) throws IOException {
        try {
            Map<String, IndexState> indices = client.indices().get(g -> g.index(index).features(Feature.Settings)).result();
            return indices.values().stream().findFirst().map(s -> s.settings().index().uuid()).orElse(null);
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The UUID the pipeline's runs last wrote, or null. */
    String stored() throws SQLException {
        return stored.read();
    }

    void store(String uuid) throws SQLException {
        stored.write(uuid);
    }

    /** Fails when the index a batch was just written to is no longer the one the run set up. */
    void requireUnchanged(String index, String expectedUuid) throws IOException {
        String now = uuidOf(index);
        if (!expectedUuid.equals(now)) {
            throw new IllegalStateException("index " + index + " was " + (now == null ? "deleted" : "deleted and created again")
                    + " while the run wrote it: documents written before are gone, and Elasticsearch may have created it again "
                    + "with mappings of its own; the next run loads it from the start");
        }
    }

    /**
     * The fields whose type in the index differs from the one the pipeline's mappings declare: an
     * index created by Elasticsearch on a bulk maps them by their first values instead.
     */
    List<String> mismatchedFields(String index, Map<String, JsonNode> mappings) throws IOException {
        JsonNode declared = mappings == null ? null : mappings.get("properties");
        if (declared == null) {
            return List.of();
        }
        Map<String, IndexState> indices = client.indices().get(g -> g.index(index).features(Feature.Mappings)).result();
        var actual = indices.values().stream().findFirst().map(s -> s.mappings().properties()).orElse(Map.of());
        List<String> mismatched = new ArrayList<>();
        declared.fields().forEachRemaining(field -> {
            String type = field.getValue().path("type").asText(null);
            var property = actual.get(field.getKey());
            String actualType = property == null ? null : property._kind().jsonValue();
            if (type != null && !type.equals(actualType)) {
                mismatched.add(field.getKey() + " is " + (actualType == null ? "not mapped" : actualType) + ", not " + type);
            }
        });
        return mismatched;
    }
}
