package dev.platform.etl.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineValidatorTest {
    private static final Allowlist ALLOWED = Allowlist.fromEnvironment(Map.of(
            Allowlist.POSTGRES_TABLES_ENV, "analytics.film_dim, analytics.other",
            Allowlist.ELASTICSEARCH_INDICES_ENV, "film_dim"));

    private static final String VALID = """
            apiVersion: etl.platform.dev/v1alpha1
            kind: EtlPipeline
            metadata: {name: p, namespace: ns}
            spec:
              mode: Incremental
              incremental: {cursorColumn: modified, tieBreakerColumn: id}
              source: {postgres: {secretRef: src}}
              tasks:
                - sqlReader: {query: "SELECT id, modified FROM content.film_work"}
                - transform: {rename: {id: film_id}}
              target: {postgres: {secretRef: dst, table: analytics.film_dim, keyColumns: [film_id]}}
            """;

    @Test
    void aValidPipelineHasNoViolations() throws Exception {
        assertThat(validate(VALID, ALLOWED)).isEmpty();
    }

    @Test
    void unsetAllowlistAllowsNothing() throws Exception {
        assertThat(validate(VALID, Allowlist.fromEnvironment(Map.of())))
                .containsExactly("spec.target.postgres.table: 'analytics.film_dim' is not in the allowlist of writable tables "
                        + "(the chart's allowlist.postgresTables, ETL_ALLOWED_POSTGRES_TABLES)");
    }

    @Test
    void incrementalModeNeedsItsColumns() throws Exception {
        assertThat(validate(VALID.replace("  incremental: {cursorColumn: modified, tieBreakerColumn: id}\n", ""), ALLOWED))
                .containsExactly("spec.incremental: is required when spec.mode is Incremental");
        assertThat(validate(VALID.replace("cursorColumn: modified, ", ""), ALLOWED))
                .containsExactly("spec.incremental.cursorColumn: is required when spec.mode is Incremental");
    }

    @Test
    void aDeletedColumnIsForIncrementalModeOnly() throws Exception {
        String softDeletes = VALID.replace("tieBreakerColumn: id}", "tieBreakerColumn: id, deletedColumn: deleted_at}");

        assertThat(validate(softDeletes, ALLOWED)).isEmpty();
        assertThat(validate(softDeletes.replace("mode: Incremental", "mode: Full"), ALLOWED)).containsExactly(
                "spec.incremental.deletedColumn: only in Incremental mode: a Full run reads every row the source holds, "
                        + "and has no deleted rows to find");
    }

    @Test
    void deleteMissingIsForFullModeOnly() throws Exception {
        String mirror = VALID.replace("keyColumns: [film_id]}", "keyColumns: [film_id], deleteMissing: true}");

        assertThat(validate(mirror.replace("mode: Incremental", "mode: Full"), ALLOWED)).isEmpty();
        assertThat(validate(mirror, ALLOWED)).containsExactly("spec.target.postgres.deleteMissing: only in Full mode, which reads every "
                + "row the source holds (Incremental mode deletes with spec.incremental.deletedColumn)");
    }

    @Test
    void parallelismSplitsOnlyAFullLoadByItsTieBreakerIntoRangesThatCompleteApart() throws Exception {
        String full = VALID.replace("mode: Incremental", "mode: Full").replace("cursorColumn: modified, ", "")
                .replace("  source:", "  parallelism: 4\n  source:");
        String needsFull = "spec.parallelism: more than 1 needs mode Full and spec.incremental.tieBreakerColumn, whose values split "
                + "the read into ranges (Incremental mode runs as one range)";

        assertThat(validate(full, ALLOWED)).isEmpty();
        assertThat(validate(VALID.replace("  source:", "  parallelism: 4\n  source:"), ALLOWED)).containsExactly(needsFull);
        assertThat(validate(VALID.replace("  source:", "  parallelism: 1\n  source:"), ALLOWED)).isEmpty();
        assertThat(validate(full.replace("  incremental: {tieBreakerColumn: id}\n", ""), ALLOWED)).containsExactly(needsFull);
        assertThat(validate(full.replace("parallelism: 4", "parallelism: 65"), ALLOWED))
                .containsExactly("spec.parallelism: must be between 1 and 64");
        assertThat(validate(full.replace("keyColumns: [film_id]}", "keyColumns: [film_id], deleteMissing: true}"), ALLOWED))
                .containsExactly("spec.parallelism: more than 1 cannot be combined with deleteMissing yet: that load completes "
                        + "as a whole; use parallelism 1");
    }

    @Test
    void anAliasIsForFullModeOnlyAndIsWhatTheAllowlistNames() throws Exception {
        String aliased = VALID.replace("target: {postgres: {secretRef: dst, table: analytics.film_dim, keyColumns: [film_id]}}",
                "target: {elasticsearch: {secretRef: search, alias: film_dim, idColumn: film_id}}");

        assertThat(validate(aliased.replace("mode: Incremental", "mode: Full"), ALLOWED)).isEmpty();
        assertThat(validate(aliased, ALLOWED)).containsExactly("spec.target.elasticsearch.alias: only in Full mode, which loads a whole "
                + "index (Incremental mode writes into an index in place)");
        assertThat(validate(aliased.replace("mode: Incremental", "mode: Full").replace("alias: film_dim", "alias: films"), ALLOWED))
                .containsExactly("spec.target.elasticsearch.alias: 'films' is not in the allowlist of writable indices "
                        + "(the chart's allowlist.elasticsearchIndices, ETL_ALLOWED_ELASTICSEARCH_INDICES)");
        assertThat(validate(aliased.replace("mode: Incremental", "mode: Full").replace("alias: film_dim", "alias: film_dim, index: film_dim"),
                ALLOWED)).containsExactly("spec.target.elasticsearch: set index or alias, not both");
    }

    @Test
    void identifiersMustBePlainNames() throws Exception {
        assertThat(validate(VALID.replace("table: analytics.film_dim", "table: \"analytics.film_dim; DROP TABLE x\"")
                .replace("rename: {id: film_id}", "rename: {id: \"film id\"}"), ALLOWED))
                .containsExactlyInAnyOrder(
                        "spec.tasks[1].transform.rename.id: 'film id' is not a plain SQL identifier (letters, digits, _; at most 63)",
                        "spec.target.postgres.table: must be a schema-qualified table name such as analytics.film_dim");
    }

    @Test
    void theOverrideOnTheLastTaskIsTheTargetThatIsChecked() throws Exception {
        String yaml = VALID.replace("    - transform: {rename: {id: film_id}}\n", """
                    - transform: {rename: {id: film_id}}
                      target: {elasticsearch: {secretRef: es, index: secret_index, idColumn: film_id}}
                """);
        assertThat(validate(yaml, ALLOWED))
                .containsExactly("spec.tasks[1].target.elasticsearch.index: 'secret_index' is not in the allowlist of writable indices "
                        + "(the chart's allowlist.elasticsearchIndices, ETL_ALLOWED_ELASTICSEARCH_INDICES)");
    }

    @Test
    void keyColumnsAndRetryAreChecked() throws Exception {
        String yaml = VALID.replace("keyColumns: [film_id]", "keyColumns: []")
                + "  retry: {maxAttempts: 0, initialBackoff: 1m, maxBackoff: 1s}\n";
        assertThat(validate(yaml, ALLOWED)).containsExactlyInAnyOrder(
                "spec.target.postgres.keyColumns: must name at least one column",
                "spec.retry.maxAttempts: must be at least 1",
                "spec.retry.maxBackoff: must not be shorter than spec.retry.initialBackoff");
    }

    @Test
    void runRetryNeedsALimitInRangeAndBackoffsThatAreDurations() throws Exception {
        assertThat(validate(VALID + "  runRetry: {limit: 101, backoff: 0s, maxBackoff: soon}\n", ALLOWED)).containsExactlyInAnyOrder(
                "spec.runRetry.limit: must be 0 to 100",
                "spec.runRetry.backoff: '0s' is not a duration such as 500ms or 1s, more than 0",
                "spec.runRetry.maxBackoff: 'soon' is not a duration such as 30s or 1m, more than 0");
        assertThat(validate(VALID + "  runRetry: {limit: 3, backoff: 10m, maxBackoff: 1m}\n", ALLOWED))
                .containsExactly("spec.runRetry.maxBackoff: must not be shorter than spec.runRetry.backoff");
        assertThat(validate(VALID + "  runRetry: {limit: 3, backoff: 30s}\n", ALLOWED)).isEmpty();
    }

    private static List<String> validate(String yaml, Allowlist allowlist) throws Exception {
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(yaml);
        return new PipelineValidator(allowlist).validate(pipeline).stream().map(Violation::toString).toList();
    }
}
