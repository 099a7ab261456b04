package dev.platform.etl.bench.operator;

/** The bench's pipelines: each a small full load of the demo films, as in examples/film-dim.yaml. */
final class Pipelines {
    private Pipelines() {
    }

    static String manifest(String name, String namespace, String runRequest) {
        return """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: %s, namespace: %s}
                spec:
                  mode: Full
                  batchSize: 500
                  runRequest: %s
                  source: {postgres: {secretRef: source-db}}
                  incremental: {tieBreakerColumn: id}
                  tasks:
                    - sqlReader: {query: "SELECT id, title, modified FROM content.film_work"}
                    - transform: {rename: {id: film_id}}
                  target: {postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}}
                """.formatted(name, namespace, runRequest);
    }
}
