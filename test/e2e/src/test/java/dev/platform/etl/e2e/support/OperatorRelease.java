package dev.platform.etl.e2e.support;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator installed from the chart with real Helm (helm-java) into the shared cluster: default
 * values plus an allowlist of the demo target, and whatever a test adds. Its pods run the operator
 * jar under the chart's ServiceAccount, with the chart's RBAC enforced by the API server.
 */
public final class OperatorRelease implements AutoCloseable {
    public static final String NAME = "etl-operator";
    /** One release namespace for every test: Helm adopts the CRD a former release kept only from the same release. */
    public static final String NAMESPACE = "etl-system";
    public static final String SERVICE_ACCOUNT = "system:serviceaccount:" + NAMESPACE + ":etl-operator";
    private static final String NAME_LABEL = "app.kubernetes.io/name";
    private static final Path CHART = RepositoryRoot.find().resolve("helm/etl-operator");

    private final SharedCluster cluster = SharedCluster.get();
    private final Map<String, Object> values;
    private final Instant installing = Instant.now();

    private OperatorRelease(Map<String, Object> values) {
        this.values = values;
    }

    public static OperatorRelease install(Map<String, Object> extraValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("allowlist.postgresTables[0]", DemoData.TARGET_TABLE);
        values.put("allowlist.elasticsearchIndices[0]", "film_dim");
        values.putAll(extraValues);
        OperatorRelease release = new OperatorRelease(values);
        InstallCommand install = new Helm(CHART).install().withName(NAME).withNamespace(NAMESPACE).createNamespace()
                .withKubeConfig(release.cluster.plane().adminKubeconfig()).waitReady().withTimeout(300);
        values.forEach(install::set);
        install.call();
        return release;
    }

    /**
     * {@code helm upgrade} with more values; waits until the rollout is ready and the former
     * operator pods are gone. Helm's wait ends when the new pod is ready, while the old one may
     * still hold the leader lease and reconcile with the old values.
     */
    public void upgrade(Map<String, Object> moreValues) {
        values.putAll(moreValues);
        UpgradeCommand upgrade = new Helm(CHART).upgrade().withName(NAME).withNamespace(NAMESPACE)
                .withKubeConfig(cluster.plane().adminKubeconfig()).waitReady().withTimeout(300);
        values.forEach(upgrade::set);
        upgrade.call();
        try (KubernetesClient client = cluster.plane().adminClient()) {
            await("only the upgraded operator's pods are left").atMost(Duration.ofMinutes(3))
                    .until(() -> onlyNewestPods(client));
        }
    }

    private boolean onlyNewestPods(KubernetesClient client) {
        String newest = client.apps().replicaSets().inNamespace(NAMESPACE).withLabel(NAME_LABEL, NAME)
                .list().getItems().stream()
                .max(Comparator.comparingLong(OperatorRelease::revision))
                .map(set -> set.getMetadata().getLabels().get("pod-template-hash"))
                .orElseThrow();
        return operatorPods(client).stream().allMatch(pod -> pod.getMetadata().getDeletionTimestamp() == null
                && newest.equals(pod.getMetadata().getLabels().get("pod-template-hash")));
    }

    private static long revision(ReplicaSet set) {
        return Long.parseLong(set.getMetadata().getAnnotations().getOrDefault("deployment.kubernetes.io/revision", "0"));
    }

    /** When this release began to install: its operator's requests are the ones after it. */
    public Instant installing() {
        return installing;
    }

    public List<Pod> operatorPods(KubernetesClient client) {
        return client.pods().inNamespace(NAMESPACE).withLabel(NAME_LABEL, NAME).list().getItems();
    }

    /** {@code helm uninstall}: the chart keeps the CRD, and with it every pipeline. */
    @Override
    public void close() {
        Helm.uninstall(NAME).withNamespace(NAMESPACE).withKubeConfig(cluster.plane().adminKubeconfig()).call();
    }
}
