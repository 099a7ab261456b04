package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.e2e.support.OperatorRelease;
import dev.platform.etl.e2e.support.PipelineNamespace;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.postgres.Gate;
import dev.platform.etl.testkit.prometheus.MonitoringQueries;
import dev.platform.etl.testkit.prometheus.PrometheusServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's metrics as a real Prometheus scrapes them from the endpoint of the chart's metrics
 * Service (the address a ServiceMonitor has Prometheus discover), after runs that paused and
 * resumed, and failed: equal to what etl.pipeline_run holds; every series that the chart's alerts
 * and dashboard name is there, and every dashboard query returns data.
 */
class OperatorMetricsOnClusterTest {
    private static final int FILMS = 24;
    private static final long PAUSE_GATE = 6161;
    private final SharedCluster cluster = SharedCluster.get();

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesCountersThatAgreeWithTheControlSchemaAfterAPauseAndAFailure() throws Exception {
        assumeTrue(PrometheusServer.installed(), "Prometheus comes from Debian's prometheus package (make prometheus)");
        try (OperatorRelease release = OperatorRelease.install(Map.of());
             PipelineNamespace namespace = PipelineNamespace.create("metrics", FILMS)) {
            Pod operator = readyOperatorPod(release);
            assumeTrue(!operator.getStatus().getPodIP().equals("127.0.0.1"), "pods get addresses of their own, and Services endpoints, only as root");
            List<String> endpoints = await("the metrics Service's endpoint: the operator pod's address").atMost(Duration.ofMinutes(1))
                    .until(this::metricsEndpoints, found -> found.stream().anyMatch(e -> e.startsWith(operator.getStatus().getPodIP() + ":")));

            try (PrometheusServer prometheus = PrometheusServer.scraping(endpoints.get(0), dir.resolve("prometheus"))) {
                pauseAndResume(namespace);
                namespace.apply(DemoPipelines.filmDim("broken").tieBreaker("id").batchSize(5).runRequest("r-1")
                        .query(DemoPipelines.FILM_QUERY + " WHERE 1 / (length(title) - length(title)) = 1").yaml());
                EtlPipeline failed = namespace.awaitRunsFinished("broken", 1);
                assertThat(failed.getStatus().getLastRun().getResult()).isEqualTo(RunResult.FAILED);

                String pausable = "{namespace=\"" + namespace.name() + "\",pipeline=\"pausable\"}";
                String broken = "{namespace=\"" + namespace.name() + "\",pipeline=\"broken\"}";
                long rowsRead = namespace.count("SELECT sum(rows_read) FROM etl.pipeline_run WHERE pipeline = '" + namespace.name() + "/pausable'");
                await("Prometheus has scraped the runs' ends").atMost(Duration.ofMinutes(1))
                        .until(() -> prometheus.value("etl_pipeline_rows_read_total" + pausable) == rowsRead
                                && prometheus.value("sum(etl_pipeline_runs_total" + broken.replace("}", ",result=\"FAILED\"}") + ")") == 1);

                assertThat(rowsRead).as("the rows of each attempt: %s", namespace.database().strings(
                        "SELECT run_id || ' ' || status || ' ' || rows_read FROM etl.pipeline_run ORDER BY id")).isEqualTo(FILMS);
                assertThat(prometheus.value("sum(etl_pipeline_runs_total" + pausable + ")")).as("one run, paused once")
                        .isEqualTo(namespace.count("SELECT count(DISTINCT run_id) FROM etl.pipeline_run WHERE pipeline = '" + namespace.name()
                                + "/pausable' AND status = 'SUCCEEDED'"));
                assertThat(prometheus.value("etl_pipeline_rows_written_total" + pausable))
                        .isEqualTo(namespace.count("SELECT sum(rows_written) FROM etl.pipeline_run WHERE pipeline = '" + namespace.name() + "/pausable'"));
                assertThat(prometheus.value("etl_pipeline_phase" + broken.replace("}", ",phase=\"Failed\"}"))).isEqualTo(1);
                assertThat(prometheus.value("etl_pipeline_last_success_timestamp_seconds" + pausable)).isPositive();
                assertThat(prometheus.value("etl_pipeline_run_duration_seconds_count" + pausable.replace("}", ",result=\"SUCCEEDED\"}"))).isEqualTo(1);

                assertThat(prometheus.query("up == 1")).as("the one target: the operator pod, at the Service's endpoint")
                        .singleElement().satisfies(up -> assertThat(up.path("metric").path("instance").asText())
                                .startsWith(operator.getStatus().getPodIP() + ":"));
                for (String series : MonitoringQueries.series()) {
                    assertThat(prometheus.query("count(" + series + ")")).as(series + ", named by the alerts or the dashboard").isNotEmpty();
                }
                for (String query : MonitoringQueries.dashboard()) {
                    assertThat(prometheus.query(query)).as("the dashboard's " + query).isNotEmpty();
                }
            }
        }
    }

    /** A run held mid-way by a gate, paused with spec.suspend, then resumed to its end. */
    private void pauseAndResume(PipelineNamespace namespace) throws Exception {
        namespace.database().stallTargetWriteOf(namespace.database().text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 9 LIMIT 1"),
                PAUSE_GATE);
        try (Gate gate = namespace.database().closedGate(PAUSE_GATE)) {
            namespace.apply(DemoPipelines.filmDim("pausable").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
            await("a write held by the gate").atMost(PipelineNamespace.RUN_TIMEOUT).until(gate::hasWaiter);
            namespace.patchSpec("pausable", "{\"suspend\": true}");
            // the batch held by the gate goes on only once the runner knows it is to pause after it
            await("the runner got SIGTERM").atMost(PipelineNamespace.RUN_TIMEOUT).until(() -> namespace.runnerPods("pausable").stream()
                    .anyMatch(pod -> cluster.kubelet().logs(namespace.name(), pod.getMetadata().getName()).contains("SIGTERM: pausing")));
            gate.open();
            namespace.awaitPhase("pausable", Phase.Paused);
        }
        namespace.patchSpec("pausable", "{\"suspend\": false}");
        EtlPipeline done = namespace.awaitRunsFinished("pausable", 1);
        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
    }

    /**
     * The endpoints ({@code address:port}, the port named http) in the EndpointSlices of the
     * operator's metrics Service, as the EndpointSlice controller keeps them and a ServiceMonitor
     * has Prometheus discover them.
     */
    private List<String> metricsEndpoints() {
        try (KubernetesClient client = cluster.plane().adminClient()) {
            return client.discovery().v1().endpointSlices().inNamespace(OperatorRelease.NAMESPACE)
                    .withLabel("kubernetes.io/service-name", OperatorRelease.NAME + "-metrics").list().getItems().stream()
                    .filter(slice -> slice.getEndpoints() != null && slice.getPorts() != null)
                    .flatMap(slice -> slice.getPorts().stream().filter(port -> "http".equals(port.getName()))
                            .flatMap(port -> slice.getEndpoints().stream().flatMap(endpoint -> endpoint.getAddresses().stream())
                                    .map(address -> address + ":" + port.getPort())))
                    .toList();
        }
    }

    private Pod readyOperatorPod(OperatorRelease release) {
        try (KubernetesClient client = cluster.plane().adminClient()) {
            await("a ready operator pod").atMost(Duration.ofMinutes(2)).until(() -> release.operatorPods(client).stream().anyMatch(this::ready));
            return release.operatorPods(client).stream().filter(this::ready).findFirst().orElseThrow();
        }
    }

    private boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
