package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.testkit.kube.Kubectl;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.process.Processes;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRD on a real kube-apiserver: accepted (every CEL rule within the cost budget), and
 * each rule refusing its violation at apply time with its own message, as kubectl shows it.
 */
class CrdValidationTest {
    private static final Kubectl KUBECTL = SharedCluster.get().kubectl();
    private static String namespace;

    @BeforeAll
    static void applyCrd() {
        KUBECTL.run("apply", "--server-side", "--force-conflicts", "-f",
                RepositoryRoot.find().resolve("crds/etlpipelines.etl.platform.dev-v1.yml").toString());
        KUBECTL.run("wait", "--for=condition=Established", "--timeout=60s", "crd/etlpipelines.etl.platform.dev");
        namespace = SharedCluster.get().freshNamespace("crd");
    }

    /** The chart installs the CRD in other tests; Helm adopts only one that it owns. */
    @AfterAll
    static void deleteCrd() {
        KUBECTL.run("delete", "crd", "etlpipelines.etl.platform.dev", "--wait=true", "--timeout=60s");
    }

    @Test
    void aValidPipelineIsAcceptedAndListedWithItsColumns() {
        KUBECTL.apply(pipeline("valid", VALID_SPEC));

        String listed = KUBECTL.run("get", "etlp", "-n", namespace);
        assertThat(listed.lines().findFirst().orElseThrow().split("\\s{2,}"))
                .containsExactly("NAME", "PHASE", "LAST RESULT", "ROWS READ", "ROWS WRITTEN", "LAST RUN", "AGE");
        assertThat(listed).contains("valid");
    }

    @Test
    void kubectlExplainDescribesEveryLevelOfTheSpec() {
        // the API server publishes a new CRD's schema to OpenAPI shortly after it is established
        String postgres = await("the CRD's schema in OpenAPI").atMost(Duration.ofMinutes(1)).ignoreExceptions()
                .until(() -> KUBECTL.run("explain", "etlpipeline.spec.target.postgres"), explained -> explained.contains("keyColumns"));

        // kubectl wraps descriptions at 80 columns: compare them as words
        assertThat(postgres.replaceAll("\\s+", " ")).contains("DESCRIPTION: Upsert into a PostgreSQL table on its key columns.")
                .contains("keyColumns <[]string> The columns of the table's primary key or a unique constraint: rows are upserted on them.")
                .contains("secretRef <string> A Secret in the pipeline's namespace with the keys jdbcUrl, username and password.")
                .contains("table <string> The schema-qualified table (schema.table)");
        assertThat(KUBECTL.run("explain", "etlpipeline.spec.batchSize")).contains("the unit of commit, checkpoint and pause");
        assertThat(KUBECTL.run("explain", "etlpipeline.status.lastRun.result")).contains("SUCCEEDED, PAUSED, FAILED, INVALID or SKIPPED");
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("no tasks", """
                        source: {postgres: {secretRef: db}}
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "spec.tasks: Required value"),
                Arguments.of("first task not a reader", """
                        source: {postgres: {secretRef: db}}
                        tasks: [{transform: {drop: [x]}}, {sqlReader: {query: SELECT 1 AS id}}]
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "spec.tasks[0]: the first task must be a sqlReader"),
                Arguments.of("two readers", """
                        source: {postgres: {secretRef: db}}
                        tasks: [{sqlReader: {query: SELECT 1 AS id}}, {sqlReader: {query: SELECT 2 AS id}}]
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "spec.tasks: only the first task may be a sqlReader"),
                Arguments.of("override not last", """
                        source: {postgres: {secretRef: db}}
                        tasks:
                          - sqlReader: {query: SELECT 1 AS id}
                            target: {postgres: {secretRef: db, table: a.c, keyColumns: [id]}}
                          - transform: {drop: [x]}
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "spec.tasks: a target override is allowed only on the last task"),
                Arguments.of("incremental without cursor", """
                        mode: Incremental
                        source: {postgres: {secretRef: db}}
                        tasks: [{sqlReader: {query: SELECT 1 AS id}}]
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "spec.incremental: cursorColumn and tieBreakerColumn are required when spec.mode is Incremental"),
                Arguments.of("parallel incremental", """
                        mode: Incremental
                        parallelism: 2
                        incremental: {cursorColumn: c, tieBreakerColumn: id}
                        source: {postgres: {secretRef: db}}
                        tasks: [{sqlReader: {query: SELECT 1 AS id}}]
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "spec.parallelism: more than 1 needs mode Full and spec.incremental.tieBreakerColumn"),
                Arguments.of("parallelism above 64", """
                        parallelism: 65
                        incremental: {tieBreakerColumn: id}
                        source: {postgres: {secretRef: db}}
                        tasks: [{sqlReader: {query: SELECT 1 AS id}}]
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "should be less than or equal to 64"),
                Arguments.of("no target", """
                        source: {postgres: {secretRef: db}}
                        tasks: [{sqlReader: {query: SELECT 1 AS id}}]
                        """, "spec.target: is required (or a target override on the last task)"),
                Arguments.of("task of two kinds", """
                        source: {postgres: {secretRef: db}}
                        tasks: [{sqlReader: {query: SELECT 1 AS id}, transform: {drop: [x]}}]
                        target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
                        """, "a task has exactly one of sqlReader or transform"),
                Arguments.of("target of two kinds", """
                        source: {postgres: {secretRef: db}}
                        tasks: [{sqlReader: {query: SELECT 1 AS id}}]
                        target:
                          postgres: {secretRef: db, table: a.b, keyColumns: [id]}
                          elasticsearch: {secretRef: es, index: films, idColumn: id}
                        """, "a target has exactly one of postgres or elasticsearch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void eachRuleRejectsItsViolationWithItsMessage(String name, String spec, String message) {
        Processes.Result refused = KUBECTL.tryApply(pipeline("bad-" + name.replace(' ', '-'), spec));

        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains(message).doesNotContain("no such key");
    }

    private static final String VALID_SPEC = """
            source: {postgres: {secretRef: db}}
            tasks: [{sqlReader: {query: SELECT 1 AS id}}]
            target: {postgres: {secretRef: db, table: a.b, keyColumns: [id]}}
            """;

    private static String pipeline(String name, String spec) {
        return """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: %s, namespace: %s}
                spec:
                %s""".formatted(name, namespace, spec.indent(2));
    }
}
