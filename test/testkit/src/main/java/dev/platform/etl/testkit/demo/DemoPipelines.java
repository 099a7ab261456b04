package dev.platform.etl.testkit.demo;

/** EtlPipeline manifests over the demo schema ({@link DemoData}), as users apply them. */
public final class DemoPipelines {
    private DemoPipelines() {
    }

    public static String filmDim(String name, String mode, int batchSize, String runRequest, String extraSpec) {
        String incremental = mode.equals("Incremental")
                ? "  incremental: {cursorColumn: modified, tieBreakerColumn: id}\n"
                : "  incremental: {tieBreakerColumn: id}\n";
        return """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: %s}
                spec:
                  mode: %s
                  batchSize: %d
                  runRequest: "%s"
                  source: {postgres: {secretRef: source-db}}
                %s  tasks:
                    - sqlReader: {query: "SELECT id, title, description, creation_date, rating, type, modified FROM content.film_work"}
                    - transform: {rename: {id: film_id}, drop: [type], set: {source_system: films}}
                  target:
                    postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}
                  retry: {maxAttempts: 3, initialBackoff: 100ms, maxBackoff: 1s}
                %s""".formatted(name, mode, batchSize, runRequest, incremental, extraSpec);
    }
}
