package dev.platform.etl.demo;

import com.marcnuri.helm.Helm;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.kube.Kubectl;
import dev.platform.etl.testkit.kube.LocalControlPlane;
import dev.platform.etl.testkit.kube.ProcessKubelet;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * {@code make up} without Docker: the local control plane and a process kubelet (running pods from
 * the images under runc where it can, else from the jars), the demo
 * PostgreSQL, the chart installed with real Helm, the demo Secrets and the example pipelines. It
 * stays in the foreground until {@code make down} asks it to stop, and leaves a kubeconfig
 * in {@code .demo/kubeconfig} and kubectl in {@code .demo/bin/kubectl}.
 */
public final class LocalKubernetes {
    static final Path CLUSTER = LocalDemo.STATE.resolve("cluster");
    static final Path KUBECONFIG = LocalDemo.STATE.resolve("kubeconfig");
    static final Path KUBECTL = LocalDemo.STATE.resolve("bin/kubectl");
    /** Written once everything is up; its presence switches the Makefile's verbs to this cluster. */
    static final Path READY = LocalDemo.STATE.resolve("local-cluster");
    /**
     * {@code make down} creates it to stop the cluster. A signal cannot be relied on: Helm's Go
     * runtime, loaded into this JVM by helm-java, takes over SIGTERM.
     */
    static final Path STOP = LocalDemo.STATE.resolve("cluster.stop");

    private LocalKubernetes() {
    }

    public static void main(String[] args) throws Exception {
        Files.deleteIfExists(READY);
        Files.deleteIfExists(STOP);
        deleteRecursively(CLUSTER);
        PostgresServer database = LocalDemo.database();
        LocalControlPlane plane = LocalControlPlane.start(CLUSTER.resolve("control-plane"));
        ProcessKubelet kubelet = ProcessKubelet.start(plane, SharedCluster.podImages(), Files.createDirectories(CLUSTER.resolve("pods")), Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(READY);
            } catch (Exception ignored) {
                // the marker goes with the cluster; nothing else to do
            }
            kubelet.close();
            plane.close();
            // the demo database goes with the cluster (its data stays in .demo/): make down leaves nothing running
            database.stop();
        }, "local-kubernetes-stop"));

        Files.copy(plane.adminKubeconfig(), KUBECONFIG, StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(KUBECTL.getParent());
        Files.deleteIfExists(KUBECTL);
        Files.createSymbolicLink(KUBECTL, plane.binaries().kubectl());
        Kubectl kubectl = new Kubectl(plane.binaries().kubectl(), plane.adminKubeconfig());

        System.out.println("installing the chart (the operator starts as a pod of the release)");
        new Helm(RepositoryRoot.find().resolve("helm/etl-operator")).install().withName("etl-operator").withNamespace("etl-system")
                .createNamespace().withKubeConfig(plane.adminKubeconfig()).waitReady().withTimeout(300)
                .set("allowlist.postgresTables[0]", DemoData.TARGET_TABLE)
                .call();
        kubectl.run("create", "namespace", "etl-demo");
        kubectl.run("apply", "-f", LocalDemo.STATE.resolve("secrets.yaml").toString());
        kubectl.run("apply", "-f", "examples/film-dim.yaml", "-f", "examples/film-dim-inc.yaml");
        Files.writeString(READY, database.jdbcUrl(LocalDemo.DATABASE) + "\n");
        System.out.println("""
                local cluster up: %s
                  export KUBECONFIG=%s    (or: make kubeconfig)
                  %s get etlp -n etl-demo
                make down stops it""".formatted(plane.url(), KUBECONFIG.toAbsolutePath(), KUBECTL));
        while (!Files.exists(STOP)) {
            Thread.sleep(500);
        }
        System.out.println("stopping the local cluster");
        System.exit(0);
    }

    private static void deleteRecursively(Path directory) throws Exception {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
