package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.e2e.support.OperatorRelease;
import dev.platform.etl.e2e.support.PipelineNamespace;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.kube.SharedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator itself failing: its pod deleted in the middle of a run with a second request
 * waiting, and, with two replicas, its leader deleted.
 */
class OperatorFailoverTest {
    private static final int FILMS = 24;
    private final SharedCluster cluster = SharedCluster.get();
    private final KubernetesClient client = cluster.plane().adminClient();
    private OperatorRelease release;
    private PipelineNamespace namespace;

    @AfterEach
    void cleanUp() {
        if (namespace != null) {
            namespace.close();
        }
        if (release != null) {
            release.close();
        }
        client.close();
    }

    @Test
    void anOperatorPodDeletedMidRunIsReplacedAndRunsStayOneAtATimeInRequestOrder() throws Exception {
        release = OperatorRelease.install(Map.of());
        namespace = PipelineNamespace.create("failover", FILMS);
        namespace.database().slowTargetWrites(100);
        namespace.apply(DemoPipelines.filmDim("busy").tieBreaker("id").batchSize(2).runRequest("r-1").yaml());
        await("run 1 committing batches").atMost(PipelineNamespace.RUN_TIMEOUT)
                .until(() -> namespace.database().runningBatches(namespace.name() + "/busy") >= 2);

        namespace.patchSpec("busy", "{\"runRequest\": \"r-2\"}");
        Pod operator = release.operatorPods(client).get(0);
        cluster.kubectl().run("delete", "pod", operator.getMetadata().getName(), "-n", OperatorRelease.NAMESPACE, "--wait=false");
        EtlPipeline done = namespace.awaitRunsFinished("busy", 2);

        assertThat(release.operatorPods(client)).extracting(p -> p.getMetadata().getName()).doesNotContain(operator.getMetadata().getName());
        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(namespace.jobs()).extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrder("busy-1", "busy-2");
        List<String> statuses = namespace.database().strings("SELECT status FROM etl.pipeline_run ORDER BY started_at");
        assertThat(statuses).containsExactly("SUCCEEDED", "SUCCEEDED");
        assertThat(namespace.count("""
                SELECT count(*) FROM etl.pipeline_run a JOIN etl.pipeline_run b ON a.id < b.id
                 WHERE a.started_at < b.finished_at AND b.started_at < a.finished_at""")).as("executions that overlapped").isZero();
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
    }

    @Test
    void withTwoReplicasOneLeadsAndDeletingItHandsOverWithinTheLeaseDuration() throws Exception {
        release = OperatorRelease.install(Map.of("replicaCount", 2));
        await("two operator pods running").atMost(Duration.ofMinutes(2))
                .until(() -> release.operatorPods(client).stream().filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 2);
        String leader = awaitLeader(null);

        cluster.kubectl().run("delete", "pod", leader, "-n", OperatorRelease.NAMESPACE, "--wait=false");
        long deleted = System.nanoTime();
        String next = awaitLeader(leader);
        Duration handover = Duration.ofNanos(System.nanoTime() - deleted);

        assertThat(next).isNotEqualTo(leader);
        // java-operator-sdk's Lease lasts 15 s and is not released on shutdown; its follower retries every 2 s
        assertThat(handover).isLessThan(Duration.ofSeconds(30));
        namespace = PipelineNamespace.create("handover", FILMS);
        namespace.apply(DemoPipelines.filmDim("after").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
        assertThat(namespace.awaitRunsFinished("after", 1).getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
    }

    /** The operator pod that holds the Lease, once it is one other than {@code not}. */
    private String awaitLeader(String not) {
        await("a leader other than " + not).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var lease = client.leases().inNamespace(OperatorRelease.NAMESPACE).withName("etl-operator").get();
            String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
            return holder != null && !holder.equals(not)
                    && release.operatorPods(client).stream().anyMatch(p -> p.getMetadata().getName().equals(holder));
        });
        return client.leases().inNamespace(OperatorRelease.NAMESPACE).withName("etl-operator").get().getSpec().getHolderIdentity();
    }
}
