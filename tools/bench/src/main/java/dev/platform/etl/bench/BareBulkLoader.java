package dev.platform.etl.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import dev.platform.etl.runner.connect.ElasticsearchEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The ceilings for PG→ES: the same documents, read with one streamed query and sent in bulks of
 * the same size, with up to {@code inFlight} bulk requests sent and not yet answered (1: one after
 * another).
 */
final class BareBulkLoader {
    private BareBulkLoader() {
    }

    static long load(Connection source, String query, String url, String index, String idColumn, int bulkSize, int inFlight)
            throws Exception {
        ElasticsearchClient client = new ElasticsearchEndpoint(url, null, null, null).client();
        ExecutorService senders = Executors.newFixedThreadPool(inFlight);
        Semaphore slots = new Semaphore(inFlight);
        List<Future<?>> sent = new ArrayList<>();
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
                        sent.add(send(client, bulk.build(), senders, slots));
                        bulk = new BulkRequest.Builder();
                        inBulk = 0;
                    }
                    documents++;
                }
                if (inBulk > 0) {
                    sent.add(send(client, bulk.build(), senders, slots));
                }
            }
            for (Future<?> request : sent) {
                request.get();
            }
        } finally {
            senders.shutdownNow();
            client._transport().close();
        }
        return documents;
    }

    /** Sends the request once fewer than {@code inFlight} are unanswered; the reader goes on meanwhile. */
    private static Future<?> send(ElasticsearchClient client, BulkRequest request, ExecutorService senders, Semaphore slots)
            throws InterruptedException {
        slots.acquire();
        return senders.submit(() -> {
            try {
                BulkResponse response = client.bulk(request);
                if (response.errors()) {
                    throw new IllegalStateException("bulk failed: "
                            + response.items().stream().filter(i -> i.error() != null).findFirst().orElseThrow().error());
                }
                return null;
            } finally {
                slots.release();
            }
        });
    }
}
