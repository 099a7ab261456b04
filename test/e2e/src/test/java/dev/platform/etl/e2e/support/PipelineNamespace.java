package dev.platform.etl.e2e.support;

import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.kube.Kubectl;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import dev.platform.etl.testkit.postgres.TestDatabase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A fresh namespace of the shared cluster with a fresh database of demo films, and the Secrets
 * {@code source-db} and {@code target-db} pointing at it. Pipelines are applied and patched with
 * kubectl, as a user does; their state is read as {@code kubectl get etlp -o yaml} shows it.
 */
public final class PipelineNamespace implements AutoCloseable {
    public static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final TestDatabase database;
    private final Kubectl kubectl;
    private final KubernetesClient client;

    private PipelineNamespace(String name, TestDatabase database, KubernetesClient client) {
        this.name = name;
        this.database = database;
        this.kubectl = SharedCluster.get().kubectl();
        this.client = client;
    }

    public static PipelineNamespace create(String prefix, int films) throws Exception {
        SharedCluster cluster = SharedCluster.get();
        TestDatabase database = SharedPostgres.get().freshDatabase();
        try (Connection connection = database.connect()) {
            DemoData.reset(connection, films);
        }
        PipelineNamespace namespace = new PipelineNamespace(cluster.freshNamespace(prefix), database, cluster.plane().adminClient());
        for (String secret : List.of("source-db", "target-db")) {
            namespace.client.secrets().inNamespace(namespace.name).resource(new SecretBuilder()
                    .withNewMetadata().withName(secret).endMetadata()
                    .withStringData(Map.of("jdbcUrl", database.jdbcUrl(), "username", database.username(),
                            "password", database.password() == null ? "" : database.password()))
                    .build()).create();
        }
        return namespace;
    }

    public String name() {
        return name;
    }

    public TestDatabase database() {
        return database;
    }

    public KubernetesClient client() {
        return client;
    }

    /** {@code kubectl apply -f} of a pipeline manifest (without a namespace: it goes into this one). */
    public void apply(String manifest) {
        kubectl.applyIn(name, manifest);
    }

    /** {@code kubectl patch etlp NAME --type merge -p '{"spec":SPEC}'}. */
    public void patchSpec(String pipeline, String specJson) {
        kubectl.run("patch", "etlp", pipeline, "-n", name, "--type", "merge", "-p", "{\"spec\":" + specJson + "}");
    }

    public EtlPipeline get(String pipeline) {
        return client.resources(EtlPipeline.class).inNamespace(name).withName(pipeline).get();
    }

    public EtlPipeline awaitPhase(String pipeline, Phase phase) {
        await("phase " + phase + " of " + pipeline).atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    EtlPipeline current = get(pipeline);
                    return current.getStatus() != null && current.getStatus().getPhase() == phase;
                });
        return get(pipeline);
    }

    /** Waits until the pipeline has finished its {@code runs}-th run, and returns it. */
    public EtlPipeline awaitRunsFinished(String pipeline, long runs) {
        await("run " + runs + " of " + pipeline + " finished").atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    EtlPipeline current = get(pipeline);
                    return current.getStatus() != null && current.getStatus().getCurrentRun() == null
                            && current.getStatus().getLastRun() != null
                            && current.getStatus().getLastRun().getJob().endsWith("-" + runs);
                });
        return get(pipeline);
    }

    public List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(name).list().getItems();
    }

    public List<Pod> runnerPods(String pipeline) {
        return client.pods().inNamespace(name).withLabel("etl.platform.dev/pipeline", pipeline).list().getItems();
    }

    public long count(String sql) throws Exception {
        return database.count(sql);
    }

    @Override
    public void close() {
        kubectl.run("delete", "namespace", name, "--wait=false");
        client.close();
    }
}
