package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.process.Daemon;
import dev.platform.etl.testkit.process.Ports;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (RBAC on, audit log),
 * kube-controller-manager (Jobs, Deployments, garbage collection, ServiceAccounts...) and
 * kube-scheduler, each a child process with its log in the run directory. It has no node: a
 * {@link ProcessKubelet} plays one.
 */
public final class LocalControlPlane implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** Controllers the product relies on; the rest (volumes, CSR signing, cloud) has nothing to do here. */
    private static final String CONTROLLERS = String.join(",", "job-controller", "deployment-controller", "replicaset-controller",
            "garbage-collector-controller", "namespace-controller", "serviceaccount-controller", "root-ca-certificate-publisher-controller",
            "pod-garbage-collector-controller", "node-lifecycle-controller", "ttl-after-finished-controller",
            "endpointslice-controller");
    private static final String AUDIT_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived"]
            rules:
              - level: None
                users: ["system:kube-controller-manager", "system:kube-scheduler", "system:apiserver", "%s"]
              - level: None
                userGroups: ["system:serviceaccounts:kube-system", "system:nodes"]
              - level: Metadata
            """.formatted(ProcessKubelet.USER);

    private final Path directory;
    private final int apiPort;
    private final Path caFile;
    private final Path adminKubeconfig;
    private final Path kubeletKubeconfig;
    private final ControlPlaneBinaries binaries;
    private final List<Daemon> daemons = new ArrayList<>();
    /** The node's kubelet serves pods' logs with this certificate, which the API server checks against its CA. */
    private Pki.Issued kubeletServing;

    private LocalControlPlane(Path directory, int apiPort, ControlPlaneBinaries binaries) {
        this.directory = directory;
        this.apiPort = apiPort;
        this.binaries = binaries;
        this.caFile = directory.resolve("pki/ca.crt");
        this.adminKubeconfig = directory.resolve("admin.kubeconfig");
        this.kubeletKubeconfig = directory.resolve("kubelet.kubeconfig");
    }

    /** Builds the binaries if needed (see {@link ControlPlaneBinaries}) and starts the plane in {@code directory}. */
    public static LocalControlPlane start(Path directory) {
        LocalControlPlane plane = new LocalControlPlane(directory.toAbsolutePath(), Ports.free(), ControlPlaneBinaries.locate());
        try {
            plane.startAll();
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
        return plane;
    }

    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    public int port() {
        return apiPort;
    }

    /** The cluster CA, which pods trust for the API server. */
    public Path caFile() {
        return caFile;
    }

    /** A kubeconfig of a cluster administrator (system:masters), for kubectl, helm and the tests. */
    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    Pki.Issued kubeletServing() {
        return kubeletServing;
    }

    /** A client as the node's kubelet: its own identity, left out of the audit log. */
    KubernetesClient kubeletClient() {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeletKubeconfig))).build();
    }

    /** The API server's audit log (JSON lines, Metadata level), without the plane's own components. */
    public AuditLog auditLog() {
        return new AuditLog(auditLogFile());
    }

    private Path auditLogFile() {
        return directory.resolve("audit.log");
    }

    public ControlPlaneBinaries binaries() {
        return binaries;
    }

    public KubernetesClient adminClient() {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(adminKubeconfig))).build();
    }

    private void startAll() {
        try {
            Files.createDirectories(directory.resolve("pki"));
            Files.createDirectories(directory.resolve("etcd"));
            Files.createDirectories(directory.resolve("flexvolume"));
            Files.writeString(directory.resolve("audit-policy.yaml"), AUDIT_POLICY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path pki = directory.resolve("pki");
        Pki.Issued ca = Pki.authority(pki, "ca");
        Pki.Issued serving = Pki.serving(pki, "apiserver", ca,
                List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"),
                List.of("127.0.0.1", "10.0.0.1"));
        kubeletServing = Pki.serving(pki, "kubelet-serving", ca, List.of(ProcessKubelet.NODE, "localhost"), List.of("127.0.0.1"));
        Pki.Issued kubeletClient = Pki.client(pki, "apiserver-kubelet-client", ca, "kube-apiserver-kubelet-client", "system:masters");
        Pki.Issued frontProxyCa = Pki.authority(pki, "front-proxy-ca");
        Pki.Issued frontProxyClient = Pki.client(pki, "front-proxy-client", frontProxyCa, "front-proxy-client", null);
        Path serviceAccountKey = Pki.signingKey(pki, "sa");
        writeKubeconfig(adminKubeconfig, ca, Pki.client(pki, "admin", ca, "etl-admin", "system:masters"));
        writeKubeconfig(kubeletKubeconfig, ca, Pki.client(pki, "kubelet", ca, ProcessKubelet.USER, "system:masters"));
        Path controllerManager = directory.resolve("controller-manager.kubeconfig");
        writeKubeconfig(controllerManager, ca, Pki.client(pki, "controller-manager", ca, "system:kube-controller-manager", null));
        Path scheduler = directory.resolve("scheduler.kubeconfig");
        writeKubeconfig(scheduler, ca, Pki.client(pki, "scheduler", ca, "system:kube-scheduler", null));

        int etcdPort = Ports.free();
        daemons.add(Daemon.start("etcd", List.of(binaries.etcd().toString(),
                "--data-dir=" + directory.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + etcdPort, "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + Ports.free(),
                "--unsafe-no-fsync", "--quota-backend-bytes=2147483648", "--log-level=warn"), directory.resolve("etcd.log")));
        Daemon apiServer = Daemon.start("kube-apiserver", List.of(binaries.apiServer().toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
                "--tls-cert-file=" + serving.certFile(), "--tls-private-key-file=" + serving.keyFile(),
                "--client-ca-file=" + ca.certFile(),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + pki.resolve("sa.pub"), "--service-account-signing-key-file=" + serviceAccountKey,
                "--service-cluster-ip-range=10.0.0.0/24",
                "--authorization-mode=Node,RBAC",
                // the endpoint reconciler refuses loopback addresses and would stop the server
                "--endpoint-reconciler-type=none",
                "--requestheader-client-ca-file=" + frontProxyCa.certFile(), "--requestheader-allowed-names=front-proxy-client",
                "--requestheader-username-headers=X-Remote-User", "--requestheader-group-headers=X-Remote-Group",
                "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                "--proxy-client-cert-file=" + frontProxyClient.certFile(), "--proxy-client-key-file=" + frontProxyClient.keyFile(),
                "--kubelet-client-certificate=" + kubeletClient.certFile(), "--kubelet-client-key=" + kubeletClient.keyFile(),
                "--kubelet-certificate-authority=" + ca.certFile(), "--kubelet-preferred-address-types=InternalIP",
                "--audit-policy-file=" + directory.resolve("audit-policy.yaml"), "--audit-log-path=" + auditLogFile(),
                "--audit-log-format=json", "--audit-log-mode=blocking"), directory.resolve("kube-apiserver.log"));
        daemons.add(apiServer);
        awaitApiServer(apiServer);
        daemons.add(Daemon.start("kube-controller-manager", List.of(binaries.controllerManager().toString(),
                "--kubeconfig=" + controllerManager, "--authentication-kubeconfig=" + controllerManager,
                "--authorization-kubeconfig=" + controllerManager,
                "--bind-address=127.0.0.1", "--secure-port=" + Ports.free(), "--leader-elect=false",
                "--controllers=" + CONTROLLERS, "--use-service-account-credentials=true",
                // a default controller-manager talks at 20 requests a second: the Job controller, not the operator, would set the pace of a bench
                "--kube-api-qps=200", "--kube-api-burst=400",
                "--root-ca-file=" + ca.certFile(), "--service-account-private-key-file=" + serviceAccountKey,
                "--cluster-signing-cert-file=" + ca.certFile(), "--cluster-signing-key-file=" + ca.keyFile(),
                "--flex-volume-plugin-dir=" + directory.resolve("flexvolume")), directory.resolve("kube-controller-manager.log")));
        daemons.add(Daemon.start("kube-scheduler", List.of(binaries.scheduler().toString(),
                "--kubeconfig=" + scheduler, "--authentication-kubeconfig=" + scheduler, "--authorization-kubeconfig=" + scheduler,
                "--bind-address=127.0.0.1", "--secure-port=" + Ports.free(), "--leader-elect=false"), directory.resolve("kube-scheduler.log")));
        awaitControllers();
    }

    private void awaitApiServer(Daemon apiServer) {
        try (KubernetesClient client = adminClient()) {
            awaitUntil("kube-apiserver ready", () -> {
                daemons.forEach(Daemon::checkAlive);
                try {
                    return "ok".equals(client.raw(url() + "/readyz"));
                } catch (RuntimeException e) {
                    return false;
                }
            });
        }
    }

    /** The ServiceAccount controller has made the default namespace's ServiceAccount: controllers are running. */
    private void awaitControllers() {
        try (KubernetesClient client = adminClient()) {
            awaitUntil("kube-controller-manager working", () -> {
                daemons.forEach(Daemon::checkAlive);
                return client.serviceAccounts().inNamespace("default").withName("default").get() != null;
            });
        }
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + START_TIMEOUT);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private void writeKubeconfig(Path file, Pki.Issued ca, Pki.Issued user) {
        NamedCluster cluster = new NamedClusterBuilder().withName("etl-local").withNewCluster()
                .withServer(url()).withCertificateAuthorityData(base64(Pki.pem(ca.certificate()))).endCluster().build();
        io.fabric8.kubernetes.api.model.Config config = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withApiVersion("v1").withKind("Config")
                .withClusters(cluster)
                .withUsers(new NamedAuthInfoBuilder().withName("user").withNewUser()
                        .withClientCertificateData(base64(Pki.pem(user.certificate())))
                        .withClientKeyData(base64(Pki.pem(user.keys().getPrivate()))).endUser().build())
                .withContexts(new NamedContextBuilder().withName("etl-local").withNewContext()
                        .withCluster("etl-local").withUser("user").withNamespace("default").endContext().build())
                .withCurrentContext("etl-local")
                .build();
        try {
            Files.writeString(file, new KubernetesSerialization().asYaml(config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the components in reverse order of start. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
        daemons.clear();
    }
}
