package dev.platform.etl.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.operator.config.OperatorConfig;
import dev.platform.etl.operator.config.ReconcileSettings;
import dev.platform.etl.operator.config.RunnerDefaults;
import dev.platform.etl.operator.health.HealthServer;
import dev.platform.etl.operator.support.MockCluster;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OperatorConfig config = new OperatorConfig(Set.of(), Allowlist.fromEnvironment(Map.of()),
            RunnerDefaults.fromEnvironment(Map.of()), ReconcileSettings.fromEnvironment(Map.of()), null, 0);

    @Test
    void healthAndReadinessAnswerAndMetricsArePrometheusText() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            Operator operator = EtlOperator.start(cluster.newClient(), config, registry);
            try (HealthServer health = HealthServer.start(0, operator, registry)) {
                assertThat(get(health, "/healthz").statusCode()).isEqualTo(200);
                assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
                HttpResponse<String> metrics = get(health, "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
                assertThat(metrics.body()).contains("# TYPE");
            } finally {
                operator.stop();
            }
        }
    }

    @Test
    void aStoppedOperatorIsNeitherLiveNorReady() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            Operator operator = EtlOperator.start(cluster.newClient(), config, registry);
            try (HealthServer health = HealthServer.start(0, operator, registry)) {
                operator.stop();

                assertThat(get(health, "/healthz").statusCode()).as("Kubernetes restarts it").isEqualTo(503);
                assertThat(get(health, "/readyz").statusCode()).isEqualTo(503);
            }
        }
    }

    private HttpResponse<String> get(HealthServer health, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
