package dev.platform.etl.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.operator.config.OperatorConfig;
import dev.platform.etl.operator.config.ReconcileSettings;
import dev.platform.etl.operator.config.RunnerDefaults;
import dev.platform.etl.operator.job.RunnerJobFactory;
import dev.platform.etl.testkit.demo.DemoPipelines;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
                "runner.serviceAccount", "etl-runner"));

        assertThat(resources).filteredOn(r -> r.getKind().equals("ServiceAccount") && r.getMetadata().getName().equals("etl-runner"))
                .extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("etl-a", "etl-b");
    }

    @Test
    void theReconcileAndHistoryValuesReachTheOperatorsConfiguration() {
        Deployment operator = Chart.ofKind(Chart.render(EVERY_OPTION, Map.of()), Deployment.class).get(0);
        Map<String, String> env = operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

        assertThat(OperatorConfig.fromEnvironment(env).reconcile())
                .isEqualTo(new ReconcileSettings(20, Duration.ofHours(1), Duration.ofSeconds(30), 5));
        assertThat(OperatorConfig.fromEnvironment(env).runner().jobHistory()).isEqualTo(5);
        assertThat(env.get("JAVA_TOOL_OPTIONS")).startsWith("-XX:MaxRAMPercentage=50 ");
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
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(DemoPipelines.filmDim("film-dim", "Full", 500, "r-1", ""));
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
}
