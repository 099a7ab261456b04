package dev.platform.etl.testkit.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one local Kubernetes of a test JVM: a {@link LocalControlPlane} and a {@link ProcessKubelet}
 * whose images are the project's jars, started on first use and stopped when the JVM ends. Tests
 * share it and keep apart by namespace.
 */
public final class SharedCluster {
    private final LocalControlPlane plane;
    private final ProcessKubelet kubelet;
    private final Kubectl kubectl;
    private final AtomicInteger namespaces = new AtomicInteger();

    private SharedCluster(LocalControlPlane plane, ProcessKubelet kubelet) {
        this.plane = plane;
        this.kubelet = kubelet;
        this.kubectl = new Kubectl(plane.binaries().kubectl(), plane.adminKubeconfig());
    }

    private static final class Holder {
        static final SharedCluster INSTANCE = create();

        private static SharedCluster create() {
            try {
                Path directory = Files.createTempDirectory("etl-cluster");
                LocalControlPlane plane = LocalControlPlane.start(directory.resolve("control-plane"));
                ProcessKubelet kubelet = ProcessKubelet.start(plane, projectImages(), Files.createDirectories(directory.resolve("pods")));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    kubelet.close();
                    plane.close();
                }, "cluster-stop"));
                return new SharedCluster(plane, kubelet);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the local cluster", e);
            }
        }
    }

    public static SharedCluster get() {
        return Holder.INSTANCE;
    }

    /** The images the product's manifests name, played by the jars that `./mvnw package` builds. */
    public static Map<String, Path> projectImages() {
        Path root = RepositoryRoot.find();
        return Map.of("etl-runner", root.resolve("runner-image/target/etl-runner.jar"),
                "etl-operator", root.resolve("operator/target/etl-operator.jar"));
    }

    public LocalControlPlane plane() {
        return plane;
    }

    public ProcessKubelet kubelet() {
        return kubelet;
    }

    public Kubectl kubectl() {
        return kubectl;
    }

    /** A new namespace, so that no state leaks between the tests that share the cluster. */
    public String freshNamespace(String prefix) {
        String name = prefix + "-" + namespaces.incrementAndGet();
        kubectl.run("create", "namespace", name);
        return name;
    }
}
