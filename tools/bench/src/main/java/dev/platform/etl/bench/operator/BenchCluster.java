package dev.platform.etl.bench.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.runner.run.RunSummary;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.kube.AuditLog;
import dev.platform.etl.testkit.kube.LocalControlPlane;
import dev.platform.etl.testkit.kube.PodImages;
import dev.platform.etl.testkit.kube.ProcessKubelet;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * A fresh local control plane for one size of the operator bench: the chart installed with Helm,
 * its operator a JVM of the operator jar under the chart's ServiceAccount, resources and options,
 * and runner pods stubbed by the process kubelet: each succeeds at once with a valid summary.
 */
final class BenchCluster implements AutoCloseable {
    static final String NAMESPACE = "bench";
    static final String OPERATOR_NAMESPACE = "etl-system";
    static final String OPERATOR_USER = "system:serviceaccount:" + OPERATOR_NAMESPACE + ":etl-operator";

    private final LocalControlPlane plane;
    private final ProcessKubelet kubelet;
    private final KubernetesClient client;

    private BenchCluster(LocalControlPlane plane, ProcessKubelet kubelet) {
        this.plane = plane;
        this.kubelet = kubelet;
        this.client = plane.adminClient();
    }

    static BenchCluster start(Map<String, String> chartValues) throws IOException {
        Path directory = Files.createTempDirectory("etl-bench-operator");
        LocalControlPlane plane = LocalControlPlane.start(directory.resolve("control-plane"));
        ProcessKubelet kubelet = ProcessKubelet.start(plane, PodImages.jarsOnly(SharedCluster.projectImages()), Files.createDirectories(directory.resolve("pods")),
                Map.of("etl-runner", stubSummary()));
        BenchCluster cluster = new BenchCluster(plane, kubelet);
        cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        InstallCommand install = new Helm(RepositoryRoot.find().resolve("helm/etl-operator")).install().withName("etl-operator")
                .withNamespace(OPERATOR_NAMESPACE).createNamespace().withKubeConfig(plane.adminKubeconfig()).waitReady().withTimeout(300)
                .set("watchNamespaces[0]", NAMESPACE).set("allowlist.postgresTables[0]", DemoData.TARGET_TABLE);
        chartValues.forEach(install::set);
        install.call();
        return cluster;
    }

    private static String stubSummary() throws JsonProcessingException {
        return new ObjectMapper().writeValueAsString(new RunSummary("stub", "stub", null, RunResult.SUCCEEDED, 10, 10, 1, Map.of(), null));
    }

    KubernetesClient client() {
        return client;
    }

    AuditLog auditLog() {
        return plane.auditLog();
    }

    /** The running operator's process, once its pod runs. */
    ProcessHandle operatorProcess() {
        return Awaitility.await("the operator's process").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> operatorPods().stream()
                        .map(pod -> kubelet.process(OPERATOR_NAMESPACE, pod.getMetadata().getName()))
                        .flatMap(Optional::stream).findFirst(), Optional::isPresent).orElseThrow();
    }

    private List<Pod> operatorPods() {
        return client.pods().inNamespace(OPERATOR_NAMESPACE).withLabel("app.kubernetes.io/name", "etl-operator").list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Scales the operator's Deployment, and for 0 waits until its process is gone. */
    void scaleOperator(int replicas) {
        List<ProcessHandle> before = replicas == 0 ? List.of(operatorProcess()) : List.of();
        client.apps().deployments().inNamespace(OPERATOR_NAMESPACE).withName("etl-operator").scale(replicas);
        Awaitility.await("the operator's process to end").atMost(Duration.ofMinutes(3))
                .until(() -> before.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Override
    public void close() {
        client.close();
        kubelet.close();
        plane.close();
    }
}
