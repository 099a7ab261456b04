package dev.platform.etl.testkit.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kubelet for tests and local clusters: registers one Node, keeps its Lease and Ready condition
 * fresh, runs each pod bound to it as a container under runc or a local JVM ({@link ContainerLauncher}),
 * writes container statuses, readiness and termination messages back (with a Warning Event where a
 * container's config refuses it), restarts containers of {@code restartPolicy: Always} pods, and on
 * deletion sends SIGTERM, then SIGKILL after the grace period, then removes the pod. It serves pods' logs to the API server ({@code kubectl logs}). Only
 * the first container of a pod is run; init containers, liveness probes and seccomp profiles are not
 * emulated.
 */
public final class ProcessKubelet implements AutoCloseable {
    public static final String USER = "etl-kubelet";
    public static final String NODE = "etl-node";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessKubelet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final ContainerLauncher launcher;
    private final ImagePulls pulls;
    private final PodNetwork network = PodNetwork.start();
    private final PodStatusWriter statuses;
    private final KubeletEvents events;
    private final KubeletLogServer logServer;
    private final Map<String, String> stubbedImages;
    private final Map<String, PodProcess> pods = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final ScheduledExecutorService loop = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "process-kubelet");
        thread.setDaemon(true);
        return thread;
    });

    private ProcessKubelet(KubernetesClient client, ContainerLauncher launcher, Pki.Issued serving, Map<String, String> stubbedImages) {
        this.client = client;
        this.launcher = launcher;
        this.stubbedImages = stubbedImages;
        this.statuses = new PodStatusWriter(client);
        this.events = new KubeletEvents(client);
        this.pulls = new ImagePulls(launcher::hasImage);
        this.logServer = new KubeletLogServer(serving, (namespace, pod) -> find(namespace, pod).map(PodProcess::log));
    }

    /**
     * Registers the node and starts running pods. {@code jarsByImage} maps an image's name (the
     * part after the last '/', without tag) to the jar that plays it, e.g. etl-runner.
     */
    public static ProcessKubelet start(LocalControlPlane plane, Map<String, Path> jarsByImage, Path directory) {
        return start(plane, PodImages.jarsOnly(jarsByImage), directory, Map.of());
    }

    /**
     * As {@link #start(LocalControlPlane, Map, Path)}, with the pods' images played as {@code images}
     * says, and the pods of the images in {@code stubbedImages} starting no process: each succeeds at
     * once with the termination message given, so that a benchmark measures the operator and not one
     * JVM per pod.
     */
    public static ProcessKubelet start(LocalControlPlane plane, PodImages images, Path directory, Map<String, String> stubbedImages) {
        KubernetesClient client = plane.kubeletClient();
        ProcessKubelet kubelet = new ProcessKubelet(client, new ContainerLauncher(client, plane, images, directory.toAbsolutePath()),
                plane.kubeletServing(), Map.copyOf(stubbedImages));
        LOG.info("kubelet: {}", images.describe());
        kubelet.register();
        kubelet.loop.scheduleWithFixedDelay(kubelet::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        kubelet.loop.scheduleWithFixedDelay(kubelet::syncPods, 0, 200, TimeUnit.MILLISECONDS);
        return kubelet;
    }

    /** Kills a pod's process with SIGKILL, as the OOM killer or a crash would; the pod then fails. */
    public void kill(String namespace, String pod) throws InterruptedException {
        PodProcess run = find(namespace, pod).filter(PodProcess::alive)
                .orElseThrow(() -> new IllegalStateException("no running process for pod " + namespace + "/" + pod));
        run.process.kill();
        run.process.handle().onExit().join();
    }

    /** What the pod's container printed (stdout and stderr), as {@code kubectl logs} shows it. */
    public String logs(String namespace, String pod) {
        return find(namespace, pod).map(run -> {
            try {
                return Files.exists(run.log()) ? Files.readString(run.log()) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse("");
    }

    /** Holds every request for the pod's log until the hold is closed (see {@link LogHold}). */
    public LogHold holdLogs(String namespace, String pod) {
        return logServer.hold(namespace, pod);
    }

    /** The host port that a pod's container port was given. */
    public Optional<Integer> hostPort(String namespace, String pod, int containerPort) {
        return find(namespace, pod).map(run -> run.hostPorts.get(containerPort));
    }

    /** The operating-system process of a running pod, to watch its exit or its resources. */
    public Optional<ProcessHandle> process(String namespace, String pod) {
        return find(namespace, pod).filter(PodProcess::alive).map(run -> run.process.handle());
    }

    private Optional<PodProcess> find(String namespace, String pod) {
        return pods.values().stream().filter(run -> run.namespace.equals(namespace) && run.name.equals(pod))
                .reduce((first, second) -> second);
    }

    private void register() {
        if (client.nodes().withName(NODE).get() == null) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                    .withLabels(Map.of("kubernetes.io/hostname", NODE, "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64"))
                    .endMetadata().build()).create();
        }
        heartbeat();
    }

    private void heartbeat() {
        try {
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            ObjectNode status = JSON.createObjectNode();
            Map<String, String> capacity = Map.of("cpu", "16", "memory", "64Gi", "pods", "110", "ephemeral-storage", "100Gi");
            status.set("capacity", JSON.valueToTree(capacity));
            status.set("allocatable", JSON.valueToTree(capacity));
            ArrayNode conditions = status.putArray("conditions");
            PodStatusWriter.condition(conditions, "Ready", "True", "KubeletReady", now).put("lastHeartbeatTime", now);
            for (String pressure : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
                PodStatusWriter.condition(conditions, pressure, "False", "KubeletHasNo" + pressure, now).put("lastHeartbeatTime", now);
            }
            status.putArray("addresses").add(JSON.createObjectNode().put("type", "InternalIP").put("address", "127.0.0.1"))
                    .add(JSON.createObjectNode().put("type", "Hostname").put("address", NODE));
            status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", logServer.port());
            status.putObject("nodeInfo").put("kubeletVersion", "v1.37.2").put("operatingSystem", "linux").put("architecture", "amd64")
                    .put("containerRuntimeVersion", "process://local").put("osImage", "local processes")
                    .put("kernelVersion", "").put("machineID", "").put("systemUUID", "").put("bootID", "").put("kubeProxyVersion", "");
            PodStatusWriter.patchStatus(client.nodes().withName(NODE), status);
            renewLease();
        } catch (RuntimeException e) {
            LOG.warn("node heartbeat failed", e);
        }
    }

    private void renewLease() {
        var leases = client.leases().inNamespace("kube-node-lease");
        Lease lease = leases.withName(NODE).get();
        ZonedDateTime now = ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS);
        if (lease == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(NODE).withNamespace("kube-node-lease").endMetadata()
                    .withNewSpec().withHolderIdentity(NODE).withLeaseDurationSeconds(40).withRenewTime(now).endSpec().build()).create();
        } else {
            lease.getSpec().setRenewTime(now);
            leases.resource(lease).update();
        }
    }

    private void syncPods() {
        try {
            List<Pod> bound = client.pods().inAnyNamespace().withField("spec.nodeName", NODE).list().getItems();
            for (Pod pod : bound) {
                try {
                    sync(pod);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404 && e.getCode() != 409) {
                        LOG.warn("pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
                    }
                }
            }
            List<String> present = bound.stream().map(p -> p.getMetadata().getUid()).toList();
            pods.values().removeIf(run -> !present.contains(run.uid) && !run.alive());
        } catch (RuntimeException e) {
            LOG.warn("pod sync failed", e);
        }
    }

    private void sync(Pod pod) {
        PodProcess run = pods.get(pod.getMetadata().getUid());
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        boolean terminal = "Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase());
        if (run == null) {
            if (deleting) {
                removePod(pod);
            } else if (!terminal) {
                run = launcher.prepare(pod);
                pods.put(run.uid, run);
                String stub = stubbedImages.get(ContainerLauncher.imageName(run.image));
                if (stub == null) {
                    run.ip = network.attach(run);
                    startContainer(pod, run);
                } else {
                    run.done = true;
                    statuses.terminated(pod, run, 0, stub);
                }
            }
            return;
        }
        if (run.done) {
            if (deleting) {
                removePod(pod);
            }
            return;
        }
        if (deleting) {
            stop(pod, run);
        } else if (run.process == null) {
            startContainer(pod, run); // its config was missing before
        } else if (run.exited()) {
            containerExited(pod, run);
        } else {
            probe(pod, run);
        }
    }

    private void startContainer(Pod pod, PodProcess run) {
        Optional<ImagePulls.Waiting> image = pulls.check(run, Instant.now());
        if (image.isPresent()) {
            ImagePulls.Waiting waiting = image.get();
            if (!waiting.message().equals(run.lastWaitingMessage)) {
                events.record(pod, run, waiting.eventType(), waiting.eventReason(), waiting.eventMessage());
                waitFor(pod, run, waiting.reason(), waiting.message(), waiting.reason());
            }
            return;
        }
        try {
            launcher.start(pod, run);
            run.startedAt = Instant.now();
            run.ready = readinessProbe(pod) == null;
            statuses.running(pod, run);
        } catch (ContainerLauncher.ConfigException e) {
            if (!e.getMessage().equals(run.lastWaitingMessage)) {
                waitFor(pod, run, "CreateContainerConfigError", e.getMessage(), e.getMessage());
            }
        }
    }

    /** The container waits for {@code reason}: its status says so, and a Warning "Error: {@code error}", as the kubelet's sync records. */
    private void waitFor(Pod pod, PodProcess run, String reason, String message, String error) {
        run.lastWaitingMessage = message;
        statuses.waiting(pod, run, reason, message);
        events.record(pod, run, "Warning", "Failed", "Error: " + error);
    }

    private void containerExited(Pod pod, PodProcess run) {
        int exit = run.process.exitCode();
        if ("Always".equals(pod.getSpec().getRestartPolicy()) || ("OnFailure".equals(pod.getSpec().getRestartPolicy()) && exit != 0)) {
            if (run.exitedAt == null) {
                run.exitedAt = Instant.now();
            } else if (Instant.now().isAfter(run.exitedAt.plus(RESTART_BACKOFF))) {
                run.exitedAt = null;
                run.restarts++;
                run.process.remove();
                LOG.info("restarting {}/{} after exit {}", run.namespace, run.name, exit);
                startContainer(pod, run);
            }
            return;
        }
        run.done = true;
        statuses.terminated(pod, run, exit);
        run.process.remove();
        network.detach(run);
    }

    /** SIGTERM at once, SIGKILL when the grace period is over, then the final status and the pod's removal. */
    private void stop(Pod pod, PodProcess run) {
        if (run.alive() && !run.stopping) {
            run.stopping = true;
            long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null ? 30 : pod.getMetadata().getDeletionGracePeriodSeconds();
            run.killAt = Instant.now().plusSeconds(grace);
            run.process.terminate();
        } else if (run.alive() && Instant.now().isAfter(run.killAt)) {
            run.process.kill();
        } else if (!run.alive()) {
            if (run.process != null) {
                statuses.terminated(pod, run, run.process.exitCode());
                run.process.remove();
            }
            run.done = true;
            network.detach(run);
            removePod(pod);
        }
    }

    private void removePod(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
    }

    private void probe(Pod pod, PodProcess run) {
        HTTPGetAction get = readinessProbe(pod);
        if (get == null) {
            return;
        }
        boolean ready = httpOk(run, get);
        if (ready != run.ready) {
            run.ready = ready;
            statuses.running(pod, run);
        }
    }

    private static HTTPGetAction readinessProbe(Pod pod) {
        Container container = pod.getSpec().getContainers().get(0);
        return container.getReadinessProbe() == null ? null : container.getReadinessProbe().getHttpGet();
    }

    private boolean httpOk(PodProcess run, HTTPGetAction get) {
        Integer port = get.getPort().getIntVal();
        if (port == null) {
            port = run.hostPorts.isEmpty() ? null : run.hostPorts.keySet().iterator().next(); // a named port: the pod's only one
        }
        Integer hostPort = port == null ? null : run.hostPorts.getOrDefault(port, port);
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + get.getPath()))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the loop and kills every pod process (the pods stay in the API, as after a node crash). */
    @Override
    public void close() {
        logServer.close();
        network.close();
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pods.values().stream().filter(PodProcess::alive).forEach(run -> {
            run.process.kill();
            run.process.handle().onExit().join();
        });
        pods.values().stream().filter(run -> run.process != null).forEach(run -> run.process.remove());
        client.close();
    }
}
