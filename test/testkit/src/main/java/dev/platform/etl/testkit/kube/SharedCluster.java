package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.container.RootFsCache;
import dev.platform.etl.testkit.container.Runc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                ProcessKubelet kubelet = ProcessKubelet.start(plane, podImages(), Files.createDirectories(directory.resolve("pods")), Map.of());
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

    /**
     * The images the product's manifests name: the tars of {@code make images} under runc where runc
     * can run here, else the jars.
     */
    public static PodImages podImages() {
        if (!Runc.usable()) {
            return PodImages.jarsOnly(projectImages());
        }
        List<Path> tars = List.of(imageTar("etl-runner"), imageTar("etl-operator"));
        if (!tars.stream().allMatch(Files::isRegularFile)) {
            throw new IllegalStateException("runc can run images here, but " + tars + " are not all built: "
                    + "make images (make test builds them)");
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "etl-operator");
        return new PodImages(projectImages(), imageFolder(), Runc.forThisProcess(cache.resolve("runtime"), new RootFsCache(cache.resolve("rootfs"))));
    }

    /** The tar {@code make images} writes for this machine's architecture, e.g. {@code target/images/etl-runner-amd64.tar}. */
    public static Path imageTar(String imageName) {
        return PodImages.tar(imageFolder(), imageName);
    }

    /** Where {@code make images} writes the images, and where the kubelet looks up the image a pod names. */
    public static Path imageFolder() {
        return RepositoryRoot.find().resolve("target/images");
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
