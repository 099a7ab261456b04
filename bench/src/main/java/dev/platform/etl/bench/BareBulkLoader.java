package dev.platform.etl.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import dev.platform.etl.runner.connect.ElasticsearchEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.LinkedHashMap;
import java.util.Map;

/** The ceiling for PG→ES: the same documents, read with one streamed query and sent in bulks of the same size, one after another. */
final class BareBulkLoader {
    private BareBulkLoader() {
    }

    static long load(Connection source, String query, String url, String index, String idColumn, int bulkSize) throws Exception {
        ElasticsearchClient client = new ElasticsearchEndpoint(url, null, null, null).client();
        source.setAutoCommit(false);
        long documents = 0;
        try (PreparedStatement statement = source.prepareStatement(query)) {
            statement.setFetchSize(bulkSize);
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                BulkRequest.Builder bulk = new BulkRequest.Builder();
                int inBulk = 0;
                while (rs.next()) {
                    Map<String, Object> document = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        document.put(meta.getColumnLabel(i), value instanceof Number || value instanceof Boolean || value == null ? value : rs.getString(i));
                    }
                    String id = rs.getString(idColumn);
                    bulk.operations(op -> op.index(idx -> idx.index(index).id(id).document(document)));
                    if (++inBulk == bulkSize) {
                        send(client, bulk.build());
                        bulk = new BulkRequest.Builder();
                        inBulk = 0;
                    }
                    documents++;
                }
                if (inBulk > 0) {
                    send(client, bulk.build());
                }
            }
        } finally {
            client._transport().close();
        }
        return documents;
    }

    private static void send(ElasticsearchClient client, BulkRequest request) throws Exception {
        BulkResponse response = client.bulk(request);
        if (response.errors()) {
            throw new IllegalStateException("bulk failed: " + response.items().stream().filter(i -> i.error() != null).findFirst().orElseThrow().error());
        }
    }
}
