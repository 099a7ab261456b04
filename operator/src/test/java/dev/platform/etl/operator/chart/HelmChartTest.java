package dev.platform.etl.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.operator.config.OperatorConfig;
import dev.platform.etl.operator.config.ReconcileSettings;
import dev.platform.etl.operator.config.RunnerDefaults;
import dev.platform.etl.operator.config.RunnerPodTemplate;
import dev.platform.etl.operator.job.RunnerJobFactory;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelmChartTest {
    private static final Path EVERY_OPTION = Path.of("src", "test", "resources", "chart", "values-every-option.yaml");

    @TempDir
    Path dir;

    @Test
    void lintIsCleanWithDefaultValuesAndWithEveryOptionSet() throws Exception {
        for (LintResult lint : List.of(Chart.lint(Chart.DIRECTORY), Chart.lint(Chart.copyWithValues(dir, EVERY_OPTION)))) {
            assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
            assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        }
    }

    @Test
    void everyRenderedManifestIsAKnownKubernetesObject() {
        for (Path values : new Path[] {null, EVERY_OPTION}) {
            List<HasMetadata> resources = Chart.render(values, Map.of());
            assertThat(resources).isNotEmpty().noneMatch(r -> r instanceof GenericKubernetesResource);
            assertThat(resources).extracting(HasMetadata::getKind)
                    .contains("CustomResourceDefinition", "Deployment", "ServiceAccount", "Service", "RoleBinding");
        }
    }

    @Test
    void theChartsCrdIsTheCommittedOneAndSurvivesUninstall() throws Exception {
        CustomResourceDefinition inChart = Chart.ofKind(Chart.render(null, Map.of()), CustomResourceDefinition.class).get(0);
        CustomResourceDefinition committed;
        try (InputStream in = new FileInputStream(Path.of("..", "crds", "etlpipelines.etl.platform.dev-v1.yml").toFile())) {
            committed = new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        }

        assertThat(inChart.getMetadata().getName()).isEqualTo(committed.getMetadata().getName());
        assertThat(inChart.getSpec()).isEqualTo(committed.getSpec());
        assertThat(inChart.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    }

    @Test
    void watchNamespacesRenderRolesOnlyInThoseNamespaces() {
        List<HasMetadata> resources = Chart.render(null, Map.of("watchNamespaces[0]", "etl-a", "watchNamespaces[1]", "etl-b"));

        assertThat(Chart.ofKind(resources, ClusterRole.class)).isEmpty();
        assertThat(Chart.ofKind(resources, Role.class)).extracting(r -> r.getMetadata().getName() + "@" + r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("etl-operator@etl-a", "etl-operator@etl-b", "etl-operator-leader-election@" + Chart.RELEASE_NAMESPACE);
        Deployment operator = Chart.ofKind(resources, Deployment.class).get(0);
        assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("ETL_WATCH_NAMESPACES")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("etl-a,etl-b"));
        assertThat(resources).as("by default runners use their namespace's default ServiceAccount")
                .noneMatch(r -> r.getKind().equals("ServiceAccount") && r.getMetadata().getName().equals("etl-runner"));
    }

    @Test
    void aNamedRunnerServiceAccountIsCreatedInEachWatchedNamespace() {
        List<HasMetadata> resources = Chart.render(null, Map.of("watchNamespaces[0]", "etl-a", "watchNamespaces[1]", "etl-b",
                "runner.serviceAccount.name", "etl-runner"));

        assertThat(resources).filteredOn(r -> r.getKind().equals("ServiceAccount") && r.getMetadata().getName().equals("etl-runner"))
                .extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("etl-a", "etl-b");
    }

    @Test
    void theReconcileAndHistoryValuesReachTheOperatorsConfiguration() {
        Deployment operator = Chart.ofKind(Chart.render(EVERY_OPTION, Map.of()), Deployment.class).get(0);
        Map<String, String> env = env(operator);

        assertThat(OperatorConfig.fromEnvironment(env).reconcile())
                .isEqualTo(new ReconcileSettings(20, Duration.ofHours(1), Duration.ofSeconds(30), 5));
        assertThat(OperatorConfig.fromEnvironment(env).runner().jobHistory()).isEqualTo(5);
        assertThat(env.get("JAVA_TOOL_OPTIONS")).startsWith("-XX:MaxRAMPercentage=50 ");
    }

    @Test
    void theLogValuesReachTheOperatorAndEveryRunnerPod() throws Exception {
        Map<String, String> env = env(Chart.ofKind(Chart.render(EVERY_OPTION, Map.of()), Deployment.class).get(0));
        Map<String, String> runnerEnv = runnerJob(EVERY_OPTION, Map.of()).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue()), (a, b) -> b));

        assertThat(LogSettings.fromEnvironment(env, "ETL_")).isEqualTo(new LogSettings("warn", "json"));
        assertThat(runnerEnv).containsEntry(LogSettings.LEVEL, "debug").containsEntry(LogSettings.FORMAT, "json");
        assertThatThrownBy(() -> Chart.template(null, Map.of("log.level", "verbose"))).hasMessageContaining("log.level");
        assertThatThrownBy(() -> Chart.template(null, Map.of("runner.log.format", "logfmt"))).hasMessageContaining("runner.log.format");
    }

    @Test
    void theValuesSchemaRejectsAWrongTypeAndAnUnknownKey() {
        assertThatThrownBy(() -> Chart.template(null, Map.of("replicaCount", "two")))
                .hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> Chart.template(null, Map.of("allowlist.postgresTable", "analytics.film_dim")))
                .hasMessageContaining("postgresTable");
        assertThatThrownBy(() -> Chart.template(null, Map.of("runner.leaseTtl", "thirty seconds")))
                .hasMessageContaining("leaseTtl");
        assertThatThrownBy(() -> Chart.template(null, Map.of("runner.jobHistory", "0")))
                .as("the Job of a run just closed is kept until its result is in status").hasMessageContaining("jobHistory");
    }

    @Test
    void aRunnerHeartbeatNotShorterThanItsLeaseIsRefused() {
        assertThatThrownBy(() -> Chart.template(null, Map.of("runner.leaseTtl", "10s", "runner.leaseHeartbeat", "10000ms")))
                .hasMessageContaining("runner.leaseHeartbeat (10000ms) must be shorter than runner.leaseTtl (10s)");
        assertThat(Chart.template(null, Map.of("runner.leaseTtl", "1m", "runner.leaseHeartbeat", "59s"))).contains("kind: Deployment");
    }

    @Test
    void everyContainerOfTheChartAndOfTheRunnerJobIsRestricted() throws Exception {
        List<PodSpec> pods = new ArrayList<>();
        Chart.ofKind(Chart.render(EVERY_OPTION, Map.of()), Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(500).runRequest("r-1").yaml());
        pipeline.getMetadata().setUid("uid");
        pods.add(new RunnerJobFactory(RunnerDefaults.fromEnvironment(Map.of()), Allowlist.fromEnvironment(Map.of()))
                .build(pipeline, 1, "film-dim-1").getSpec().getTemplate().getSpec());

        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (Container container : pod.getContainers()) {
                SecurityContext security = container.getSecurityContext();
                assertThat(security.getRunAsNonRoot()).as(container.getName()).isTrue();
                assertThat(security.getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
                assertThat(security.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
                assertThat(security.getCapabilities().getDrop()).as(container.getName()).containsExactly("ALL");
                assertThat(security.getSeccompProfile().getType()).as(container.getName()).isEqualTo("RuntimeDefault");
            }
        });
    }
    @Test
    void theRunnerPodValuesReachEveryRunnerPod() throws Exception {
        PodTemplateSpec pod = runnerJob(EVERY_OPTION, Map.of()).getSpec().getTemplate();
        PodSpec spec = pod.getSpec();

        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "data").containsEntry("etl.platform.dev/pipeline", "film-dim");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("cluster-autoscaler.kubernetes.io/safe-to-evict", "false");
        assertThat(spec.getPriorityClassName()).isEqualTo("etl-batch");
        assertThat(spec.getNodeSelector()).containsEntry("node-pool", "batch");
        assertThat(spec.getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("batch"));
        assertThat(spec.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(spec.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("runner-registry-credentials");
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(spec.getServiceAccountName()).isEqualTo("etl-runner-sa");
        Container runner = spec.getContainers().get(0);
        assertThat(runner.getImage()).isEqualTo("registry.example.com/platform/etl-runner@sha256:" + "0123456789abcdef".repeat(4));
        assertThat(runner.getEnv()).extracting(EnvVar::getName).contains("ETL_PIPELINE").endsWith("TZ", "HTTPS_PROXY");
        assertThat(runner.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void theOperatorPodValuesAndNamesReachTheDeployment() {
        List<HasMetadata> resources = Chart.render(EVERY_OPTION, Map.of());
        Deployment operator = Chart.ofKind(resources, Deployment.class).get(0);
        PodSpec spec = operator.getSpec().getTemplate().getSpec();

        assertThat(operator.getMetadata().getName()).isEqualTo("etl-team-a");
        assertThat(operator.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "platform")
                .containsEntry("app.kubernetes.io/name", "etl-operator");
        assertThat(spec.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(spec.getContainers().get(0).getImage()).isEqualTo("registry.example.com/platform/etl-operator:0.1.0-test");
        assertThat(spec.getContainers().get(0).getEnv()).extracting(EnvVar::getName).endsWith("JAVA_TOOL_OPTIONS", "TZ");
        assertThat(resources).filteredOn(r -> r.getKind().equals("ServiceAccount"))
                .allSatisfy(sa -> assertThat(sa.getMetadata().getAnnotations()).isNotEmpty())
                .extracting(r -> r.getMetadata().getName() + "@" + r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("etl-operator-sa@" + Chart.RELEASE_NAMESPACE, "etl-runner-sa@etl-a", "etl-runner-sa@etl-b");
        assertThat(Chart.ofKind(resources, PodDisruptionBudget.class)).as("two replicas: one stays up through a drain")
                .singleElement().satisfies(pdb -> assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));
    }

    @Test
    void aReleaseIsNamedAfterItselfAndASecondOneCanLeaveTheCrdToTheFirst() {
        assertThat(Chart.ofKind(Chart.render(null, Map.of()), Deployment.class).get(0).getMetadata().getName()).isEqualTo("etl-operator");
        List<HasMetadata> second = Chart.render("team-b", null, Map.of("crds.install", false, "watchNamespaces[0]", "team-b"));

        assertThat(second).noneMatch(r -> r instanceof CustomResourceDefinition);
        assertThat(second).extracting(r -> r.getMetadata().getName()).allMatch(name -> name.startsWith("team-b-etl-operator"));
        assertThat(Chart.ofKind(Chart.render(null, Map.of()), PodDisruptionBudget.class)).as("one replica: no budget").isEmpty();
    }

    @Test
    void aNumericTagTheGlobalKeyAndTheDefaultImagesAreAccepted() {
        Deployment operator = Chart.ofKind(Chart.render(null, Map.of("image.tag", 1, "global.imageRegistry", "x")), Deployment.class).get(0);

        assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("ghcr.io/etl-platform/etl-operator:1");
        assertThat(env(Chart.ofKind(Chart.render(null, Map.of()), Deployment.class).get(0)).get("ETL_RUNNER_IMAGE"))
                .isEqualTo("ghcr.io/etl-platform/etl-runner:0.1.0");
    }

    @Test
    void theChartsImageDefaultsAreWhatTheBuildNamesAndPushes() throws Exception {
        Map<String, String> pom = pomProperties();
        String registry = pom.get("image.registry");
        String tag = pom.get("image.tag");
        Map<String, String> env = env(Chart.ofKind(Chart.render(null, Map.of()), Deployment.class).get(0));

        assertThat(Chart.ofKind(Chart.render(null, Map.of()), Deployment.class).get(0).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo(registry + "/etl-operator:" + tag);
        assertThat(env.get("ETL_RUNNER_IMAGE")).isEqualTo(registry + "/etl-runner:" + tag);
        assertThat(RunnerDefaults.fromEnvironment(Map.of()).image()).as("the operator's own default").isEqualTo(registry + "/etl-runner:" + tag);
    }

    @Test
    void aVariableOrLabelTheOperatorSetsIsRefused() {
        assertThatThrownBy(() -> Chart.template(null, Map.of("runner.extraEnv[0].name", "ETL_PIPELINE", "runner.extraEnv[0].value", "x")))
                .hasMessageContaining("runner.extraEnv: ETL_PIPELINE is set by the chart or the operator");
        assertThatThrownBy(() -> Chart.template(null, Map.of("extraEnv[0].name", "JAVA_TOOL_OPTIONS", "extraEnv[0].value", "-Xmx1g")))
                .hasMessageContaining("extraEnv: JAVA_TOOL_OPTIONS is set by the chart or the operator");
        assertThatThrownBy(() -> new RunnerPodTemplate("{\"metadata\":{\"labels\":{\"etl.platform.dev/run\":\"7\"}}}"))
                .hasMessageContaining("the pod label etl.platform.dev/run (runner.podLabels) is set by the operator");
        assertThatThrownBy(() -> new RunnerPodTemplate("{\"spec\":{\"containers\":[{\"name\":\"sidecar\"}]}}"))
                .hasMessageContaining("a container named sidecar");
        assertThatThrownBy(() -> new RunnerPodTemplate("not json")).hasMessageContaining("is not a pod template in JSON");
    }

    /** The runner Job the operator configured by the chart (its Deployment's env) builds. */
    static Job runnerJob(Path values, Map<String, Object> settings) throws Exception {
        OperatorConfig config = OperatorConfig.fromEnvironment(env(Chart.ofKind(Chart.render(values, settings), Deployment.class).get(0)));
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(500).runRequest("r-1").yaml());
        pipeline.getMetadata().setUid("uid");
        return new RunnerJobFactory(config.runner(), config.allowlist()).build(pipeline, 1, "film-dim-1");
    }

    private static Map<String, String> env(Deployment operator) {
        return operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue, (a, b) -> b));
    }

    private static Map<String, String> pomProperties() throws Exception {
        Element properties = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("..", "pom.xml").toFile())
                .getDocumentElement().getElementsByTagName("properties").item(0);
        Map<String, String> values = new HashMap<>();
        NodeList children = properties.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element) {
                values.put(element.getTagName(), element.getTextContent().trim());
            }
        }
        return values;
    }
}
