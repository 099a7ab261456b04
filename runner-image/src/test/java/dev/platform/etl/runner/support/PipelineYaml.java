package dev.platform.etl.runner.support;

/** Pipelines over the demo schema, as users write them. */
public final class PipelineYaml {
    public static final String FILM_QUERY =
            "SELECT id, title, description, creation_date, rating, type, modified FROM content.film_work";

    /**
     * The films, each passing {@code content.gate} (see {@link RunnerFixture#gateReaderAt}). The
     * gate's cost keeps every page an index scan in id order, so it runs only for the rows a page
     * returns: a seq scan would run it for every film while reading the first page.
     */
    public static final String GATED_FILM_QUERY = "SELECT id, title, modified FROM content.film_work WHERE content.gate(id, title)";

    private PipelineYaml() {
    }

    public static String fullFilmDim(String name, int batchSize) {
        return filmDim(name, "Full", batchSize, "");
    }

    /** A full load that checkpoints its progress by tie-breaker, so it resumes after a stop. */
    public static String resumableFullFilmDim(String name, int batchSize) {
        return filmDim(name, "Full", batchSize, "  incremental: {tieBreakerColumn: id}\n");
    }

    /** A resumable full load split into {@code ranges} ranges of the tie-breaker. */
    public static String parallelFullFilmDim(String name, int batchSize, int ranges) {
        return filmDim(name, "Full", batchSize, "  incremental: {tieBreakerColumn: id}\n  parallelism: " + ranges + "\n");
    }

    public static String incrementalFilmDim(String name, int batchSize) {
        return filmDim(name, "Incremental", batchSize, "  incremental: {cursorColumn: modified, tieBreakerColumn: id}\n");
    }

    private static String filmDim(String name, String mode, int batchSize, String incremental) {
        return pipeline(name, mode, batchSize, incremental, FILM_QUERY, """
                    - transform:
                        rename: {id: film_id}
                        drop: [type]
                        set: {source_system: films}
                """, "postgres: {secretRef: target-db, table: analytics.film_dim, keyColumns: [film_id]}");
    }

    /** The demo films into an Elasticsearch index, id from film_id. */
    public static String filmIndex(String name, String mode, int batchSize, String incremental, String query, String index) {
        return pipeline(name, mode, batchSize, incremental, query, """
                    - transform:
                        rename: {id: film_id}
                        set: {source_system: films}
                """, "elasticsearch: {secretRef: search, index: " + index + ", idColumn: film_id}");
    }

    /** Any pipeline: the query, the transform tasks (YAML, indented as list items) and the target. */
    public static String pipeline(String name, String mode, int batchSize, String incremental, String query,
                                  String transforms, String target) {
        return """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: %s, namespace: etl-test}
                spec:
                  mode: %s
                  batchSize: %d
                  source:
                    postgres: {secretRef: source-db}
                %s  tasks:
                    - sqlReader:
                        query: "%s"
                %s  target:
                    %s
                  retry: {maxAttempts: 3, initialBackoff: 100ms, maxBackoff: 1s}
                """.formatted(name, mode, batchSize, incremental, query.replace("\"", "\\\""), transforms, target);
    }
}
