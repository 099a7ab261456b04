package dev.platform.etl.runner.sink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.platform.etl.api.spec.ElasticsearchTarget;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.source.Values;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk upserts into an Elasticsearch index: one bulk request per batch, the document id taken
 * from {@code idColumn} so replays overwrite instead of duplicating, every item of the response
 * checked. With versions (incremental pipelines), a document is only replaced by one whose cursor
 * is not older ({@code external_gte}); a version conflict means a newer document is already
 * there, which is not an error.
 */
public final class ElasticsearchSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSink.class);
    private static final int CONFLICT = 409;

    /**
     * What a bulk response says of each item: enough to check it. The rest (versions, shards,
     * sequence numbers) would be parsed for every document, and costs the runner more CPU than
     * encoding the documents does.
     */
    private static final String BULK_RESPONSE_FILTER = "took,errors,items.*._index,items.*._id,items.*.status,items.*.error";

    private final ElasticsearchClient client;
    private final ElasticsearchClient bulkClient;
    /** Where batches go: the spec's index, or the index of a load behind an alias once {@link #setUp} has named it. */
    private volatile String index;
    private final AliasedLoad aliasedLoad;
    private final Map<String, JsonNode> mappings;
    private final List<String> columns;
    private final int idIndex;
    private final String idColumn;
    private List<Violation> violations = List.of();
    private final IndexIdentity identity;
    private final String pipeline;
    /** The UUID of the index as {@link #setUp} found or created it: every write checks it is still the same. */
    private volatile String indexUuid;

    /**
     * @param control  the control database, where a load behind an alias names its index
     * @param pipeline the pipeline's name in the control schema
     */
    public ElasticsearchSink(ElasticsearchClient client, ElasticsearchTarget target, List<String> columns, DataSource control,
                             String pipeline) {
        this.client = client;
        this.bulkClient = client.withTransportOptions(options -> options.setParameter("filter_path", BULK_RESPONSE_FILTER));
        this.index = target.getIndex();
        this.aliasedLoad = target.getAlias() == null ? null : new AliasedLoad(client, target.getAlias(), control, pipeline, this::createIndex);
        this.mappings = target.getMappings();
        this.columns = columns;
        this.idIndex = columns.indexOf(target.getIdColumn());
        this.idColumn = target.getIdColumn();
        this.identity = new IndexIdentity(client, control, pipeline);
        this.pipeline = pipeline;
    }

    /**
     * Reads what the target holds that the pipeline must not touch: an alias that points to an
     * index no load of it created. Called once, before the lease.
     */
    void checkTarget() throws IOException {
        violations = aliasedLoad == null ? List.of() : aliasedLoad.violations();
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }

    /**
     * Names the index (a load behind an alias gets one of its own), creates it with the spec's
     * mappings if it is missing, and compares its UUID with the one the pipeline's runs last wrote:
     * another index under the name holds none of their documents, so a resumed run starts over.
     */
    @Override
    public boolean setUp(boolean resuming) throws Exception {
        if (aliasedLoad != null) {
            index = aliasedLoad.begin(resuming);
        }
        if (identity.uuidOf(index) == null) {
            createIndex(index);
        }
        indexUuid = identity.uuidOf(index);
        String stored = identity.stored();
        boolean replaced = stored != null && !stored.equals(indexUuid);
        if (replaced) {
            List<String> mismatched = identity.mismatchedFields(index, mappings);
            if (!mismatched.isEmpty()) {
                throw new IllegalStateException("index " + index + " is not the one this pipeline wrote, and its mappings are not the "
                        + "pipeline's (" + String.join("; ", mismatched) + "): Elasticsearch may have created it on a write; delete it, "
                        + "and the next run creates it with the pipeline's mappings and loads it whole");
            }
        }
        identity.store(indexUuid);
        if (replaced && resuming) {
            LOG.warn("{}: index {} is not the one earlier runs wrote (it was deleted and created again): loading it from the start",
                    pipeline, index);
            return true;
        }
        return false;
    }

    @Override
    public long completeLoad(Connection controlTransaction) throws Exception {
        if (aliasedLoad != null) {
            aliasedLoad.complete(controlTransaction, index);
        }
        return 0;
    }

    /** A single-shard index indexes one bulk request at a time on one thread: a second in flight keeps another core busy. */
    @Override
    public boolean takesTwoWritesInFlight() {
        return true;
    }

    @Override
    public Write prepare(SinkBatch batch) {
        String index = this.index;
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        List<Object[]> rows = batch.rows();
        NullKey.check(rows, new int[] {idIndex}, List.of(idColumn));
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            String id = Values.toText(row[idIndex]);
            Long version = batch.versioned() ? batch.versions()[i] : null;
            if (batch.isDeleted(i)) {
                // versioned like an upsert, so that a late, older upsert cannot bring the document back
                bulk.operations(op -> op.delete(delete -> {
                    delete.index(index).id(id);
                    return version == null ? delete : delete.version(version).versionType(VersionType.ExternalGte);
                }));
                continue;
            }
            BinaryData document = BinaryData.of(Documents.json(columns, row), ContentType.APPLICATION_JSON);
            bulk.operations(op -> op.index(idx -> {
                idx.index(index).id(id).document(document);
                return version == null ? idx : idx.version(version).versionType(VersionType.ExternalGte);
            }));
        }
        BulkRequest request = bulk.build();
        int documents = rows.size();
        String uuid = indexUuid;
        return controlTransaction -> {
            long written = documents - check(bulkClient.bulk(request));
            identity.requireUnchanged(index, uuid);
            return Written.rows(written);
        };
    }

    /** Fails on any item that was not written; returns how many were already newer. */
    private int check(BulkResponse response) {
        if (!response.errors()) {
            return 0;
        }
        int alreadyNewer = 0;
        BulkResponseItem retryable = null;
        for (BulkResponseItem item : response.items()) {
            if (item.error() == null) {
                continue;
            }
            if (item.status() == CONFLICT) {
                alreadyNewer++;
            } else if (item.status() == 429 || item.status() >= 500) {
                retryable = item;
            } else {
                throw new BulkFailure(item.status(), "document '" + item.id() + "' rejected by Elasticsearch: "
                        + item.error().type() + ": " + item.error().reason()
                        + (item.error().causedBy() == null ? "" : " (" + item.error().causedBy().reason() + ")"));
            }
        }
        if (retryable != null) {
            throw new BulkFailure(retryable.status(), "Elasticsearch could not take document '" + retryable.id() + "' now: "
                    + retryable.error().type() + ": " + retryable.error().reason());
        }
        if (alreadyNewer > 0) {
            LOG.info("{} documents of this batch were already newer in {}; kept as they are", alreadyNewer, index);
        }
        return alreadyNewer;
    }

    /** Creates the index with the spec's mappings; one created meanwhile by another writer is fine. */
    private void createIndex(String name) throws IOException {
        try {
            client.indices().create(c -> {
                c.index(name);
                return mappings == null ? c : c.mappings(m -> m.withJson(new StringReader(mappingsJson())));
            });
            LOG.info("created index {}", name);
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
        }
    }

    private String mappingsJson() {
        try {
            return JsonMapper.builder().build().writeValueAsString(mappings);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("spec.target.elasticsearch.mappings is not JSON", e);
        }
    }

    @Override
    public void close() {
        try {
            client._transport().close();
        } catch (IOException e) {
            LOG.warn("closing the Elasticsearch client: {}", e.getMessage());
        }
    }
}
