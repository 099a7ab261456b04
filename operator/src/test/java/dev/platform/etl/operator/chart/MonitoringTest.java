package dev.platform.etl.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.metrics.PipelineMetrics;
import dev.platform.etl.testkit.process.Processes;
import dev.platform.etl.testkit.prometheus.MonitoringQueries;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's monitoring objects: off by default; when on, a ServiceMonitor and a PodMonitor that
 * select the operator, alerts that promtool proves fire on the operator's series, and a dashboard
 * whose every query names only series the operator exports.
 */
class MonitoringTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Map<String, Object> ALL_ON = Map.of("metrics.serviceMonitor.enabled", true, "metrics.podMonitor.enabled", true,
            "metrics.prometheusRule.enabled", true, "metrics.dashboard.enabled", true);

    @TempDir
    Path dir;

    @Test
    void noMonitoringObjectIsRenderedUnlessAskedFor() {
        assertThat(kinds(Chart.render(null, Map.of()))).doesNotContain("ServiceMonitor", "PodMonitor", "PrometheusRule")
                .filteredOn("ConfigMap"::equals).isEmpty();
    }

    @Test
    void theMonitorsSelectTheOperatorsPodsAndItsMetricsService() {
        List<HasMetadata> resources = Chart.render(null, ALL_ON);
        Service metrics = Chart.ofKind(resources, Service.class).get(0);

        for (String kind : List.of("ServiceMonitor", "PodMonitor")) {
            GenericKubernetesResource monitor = generic(resources, kind);
            Map<String, Object> selector = monitor.get("spec", "selector", "matchLabels");
            assertThat(selector).as(kind + " selects the operator's pods").isEqualTo(Map.copyOf(metrics.getSpec().getSelector()));
        }
        assertThat(metrics.getMetadata().getLabels()).as("the ServiceMonitor finds the Service by these")
                .containsAllEntriesOf(metrics.getSpec().getSelector());
        assertThat(generic(resources, "ConfigMap").getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    }

    @Test
    void promtoolFindsTheRulesValidAndEachAlertFiresOnTheOperatorsSeries() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool comes from Debian's prometheus package (make prometheus)");
        Files.writeString(dir.resolve("alerts.yaml"), new YAMLMapper().writeValueAsString(rules()));
        Files.copy(Path.of("src/test/resources/chart/alerts-test.yaml"), dir.resolve("alerts-test.yaml"));

        Processes.Result check = Processes.execute(List.of(PROMTOOL.toString(), "check", "rules", dir.resolve("alerts.yaml").toString()));
        assertThat(check.exitCode()).as(check.output()).isZero();
        Processes.Result test = Processes.execute(List.of(PROMTOOL.toString(), "test", "rules", dir.resolve("alerts-test.yaml").toString()));
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(rules().path("groups").get(0).path("rules")).extracting(rule -> rule.path("alert").asText())
                .containsExactlyInAnyOrder("EtlPipelineNotSucceeded", "EtlPipelineFailing", "EtlPipelineStuckRunning", "EtlPipelineStalled");
        assertThat(Files.readString(dir.resolve("alerts-test.yaml"))).as("promtool tests every alert")
                .contains("EtlPipelineNotSucceeded", "EtlPipelineFailing", "EtlPipelineStuckRunning", "EtlPipelineStalled");
    }

    @Test
    void everyQueryOfTheRulesAndTheDashboardNamesOnlySeriesTheOperatorExports() throws Exception {
        Set<String> exported = exportedSeries();

        assertThat(MonitoringQueries.dashboard()).hasSizeGreaterThan(5)
                .allSatisfy(query -> assertThat(MonitoringQueries.seriesIn(query)).as("the series of " + query).isNotEmpty());
        rules().path("groups").get(0).path("rules").forEach(rule ->
                assertThat(MonitoringQueries.seriesIn(rule.path("expr").asText())).as("the series of " + rule.path("alert")).isNotEmpty());
        assertThat(MonitoringQueries.series()).hasSizeGreaterThan(8).allSatisfy(name -> assertThat(exported).as("exported series").contains(name));
    }

    private static JsonNode rules() {
        return new ObjectMapper().valueToTree(generic(Chart.render(null, ALL_ON), "PrometheusRule").getAdditionalProperties().get("spec"));
    }

    /** What /metrics serves for a pipeline with a run ended, and of the JVM, with the suffixes Prometheus gives them. */
    private static Set<String> exportedSeries() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        PipelineMetrics metrics = new PipelineMetrics(registry);
        EtlPipeline pipeline = new EtlPipeline();
        pipeline.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("p").build());
        pipeline.setStatus(new EtlPipelineStatus());
        metrics.observe(pipeline);
        LastRun last = new LastRun();
        last.setRunId("p-1");
        last.setResult(RunResult.SUCCEEDED);
        last.setStartedAt("2026-12-03T10:00:00Z");
        last.setFinishedAt("2026-12-03T10:05:00Z");
        metrics.runEnded(pipeline, last);
        return registry.scrape().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    private static List<String> kinds(List<HasMetadata> resources) {
        return resources.stream().map(HasMetadata::getKind).toList();
    }

    private static GenericKubernetesResource generic(List<HasMetadata> resources, String kind) {
        return resources.stream().filter(r -> r.getKind().equals(kind)).findFirst()
                .map(r -> r instanceof GenericKubernetesResource g ? g : new ObjectMapper().convertValue(r, GenericKubernetesResource.class))
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }
}
