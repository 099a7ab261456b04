package dev.platform.etl.operator.support;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Kubernetes API for tests: the fabric8 mock server in CRUD mode (it stores what it is sent,
 * and validates nothing), with the EtlPipeline CRD loaded. It records every request, so a test can
 * check that the chart's RBAC covers what the operator really does.
 */
public final class MockCluster implements AutoCloseable {
    public static final Path CRD = Path.of("..", "crds", "etlpipelines.etl.platform.dev-v1.yml");

    /** The user agent of the operator's client, so its requests can be told from the test's. */
    public static final String OPERATOR_AGENT = "etl-operator-under-test";

    /** One API request: who sent it, its method, its path (without the query) and whether it watches. */
    public record ApiRequest(String userAgent, String method, String path, boolean watch) {
    }

    /** The mock logs every request at INFO; the requests are recorded here instead. */
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");
    private static final String RULES_REVIEW = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    public MockCluster() throws IOException {
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath();
                int query = path.indexOf('?');
                requests.add(new ApiRequest(request.getHeader("User-Agent"), request.getMethod(),
                        query < 0 ? path : path.substring(0, query), query >= 0 && path.substring(query).contains("watch=true")));
                if (path.startsWith(RULES_REVIEW)) {
                    return leaseRules();
                }
                return super.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        try (InputStream crd = new FileInputStream(CRD.toFile())) {
            client.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
    }

    /**
     * java-operator-sdk checks its Lease rights with a SelfSubjectRulesReview before leader election,
     * which the CRUD mock cannot answer: this answers with the rights the chart's Role grants.
     */
    private static MockResponse leaseRules() {
        return new MockResponse().setResponseCode(201).setBody("""
                {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                 "status": {"incomplete": false, "resourceRules": [
                   {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": ["create"]},
                   {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": ["get", "update", "patch"]}]}}""");
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** A client for the test and the operator; each call returns the same one. */
    public KubernetesClient client() {
        return client;
    }

    /** A separate client, as the operator process has (its requests are marked with {@link #OPERATOR_AGENT}). */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_AGENT).build())
                .build();
    }

    public List<ApiRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
