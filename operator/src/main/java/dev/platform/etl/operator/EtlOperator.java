package dev.platform.etl.operator;

import dev.platform.etl.api.validation.PipelineValidator;
import dev.platform.etl.operator.config.OperatorConfig;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.health.HealthServer;
import dev.platform.etl.operator.health.OperatorMetrics;
import dev.platform.etl.operator.job.RunnerJobFactory;
import dev.platform.etl.operator.job.RunnerJobs;
import dev.platform.etl.operator.reconcile.EtlPipelineReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/** The operator's entrypoint: configuration from the environment, the reconciler, health and metrics. */
public final class EtlOperator {
    private EtlOperator() {
    }

    public static void main(String[] args) throws Exception {
        OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Operator operator = start(new KubernetesClientBuilder().build(), config, registry);
        HealthServer health = HealthServer.start(config.httpPort(), operator, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            health.close();
            operator.stop();
        }, "operator-stop"));
    }

    /** Registers the reconciler with the client and configuration given, and starts it. */
    public static Operator start(KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    // the primary's status is patched with a JSON merge patch, which every API server (and the mock) takes
                    .withUseSSAToPatchPrimaryResource(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
            if (config.leaderElection() != null) {
                OperatorConfig.LeaderElection election = config.leaderElection();
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(election.leaseName(), election.namespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, null, election.exitOnLoss()));
            }
        });
        RunnerJobs jobs = new RunnerJobs(client, new RunnerJobFactory(config.runner(), config.allowlist()));
        EtlPipelineReconciler reconciler = new EtlPipelineReconciler(new PipelineValidator(config.allowlist()), jobs,
                new PipelineEvents(client), new OperatorMetrics(registry), Clock.systemUTC());
        operator.register(reconciler, controller -> {
            if (!config.watchNamespaces().isEmpty()) {
                controller.settingNamespaces(config.watchNamespaces());
            }
        });
        operator.start();
        return operator;
    }
}
