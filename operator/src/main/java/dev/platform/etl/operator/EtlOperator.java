package dev.platform.etl.operator;

import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.api.validation.PipelineValidator;
import dev.platform.etl.operator.config.OperatorConfig;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.health.HealthServer;
import dev.platform.etl.operator.health.InstallCheck;
import dev.platform.etl.operator.job.RunnerJobFactory;
import dev.platform.etl.operator.job.RunnerJobs;
import dev.platform.etl.operator.metrics.PipelineMetrics;
import dev.platform.etl.operator.observe.RunProgressReader;
import dev.platform.etl.operator.informer.RunnerInformers;
import dev.platform.etl.operator.reconcile.EtlPipelineReconciler;
import dev.platform.etl.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator's entrypoint: configuration from the environment, the reconciler, health and metrics. */
public final class EtlOperator {
    private static final Logger LOG = LoggerFactory.getLogger(EtlOperator.class);
    private EtlOperator() {
    }

    /** Runs the operator; {@code check} instead checks a running installation (what {@code helm test} runs). */
    public static void main(String[] args) throws Exception {
        OperatorConfig config = configOrExit(System.getenv());
        if (args.length == 1 && args[0].equals("check")) {
            try (KubernetesClient client = new KubernetesClientBuilder().build()) {
                System.exit(new InstallCheck(client, config, Clock.systemUTC()).run(System.out));
            }
        }
        if (args.length > 0) {
            System.err.println("usage: etl-operator [check]");
            System.exit(2);
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        List<String> failures = new InstallCheck(client, config, Clock.systemUTC()).startFailures();
        if (!failures.isEmpty()) {
            failures.forEach(failure -> LOG.error("cannot start: {}", failure));
            System.exit(1);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindProcessMetrics(registry);
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Operator operator = start(client, config, registry, () -> {
            // stopping the operator in the shutdown hook also ends its leadership: no exit then
            if (!shuttingDown.get()) {
                LOG.error("lost the leader election: exiting, to be restarted as a follower");
                System.exit(1);
            }
        });
        HealthServer health = HealthServer.start(config.httpPort(), operator, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown.set(true);
            health.close();
            operator.stop();
        }, "operator-stop"));
    }

    /** The configuration, or one line that says what is wrong with it and exit 2: nothing is started. */
    private static OperatorConfig configOrExit(Map<String, String> env) {
        try {
            LogSettings.fromEnvironment(env, "ETL_");
            return OperatorConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            System.err.println("etl-operator: invalid configuration, nothing was started: " + e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    /** The JVM's and the process's own series: memory, GC, threads, classes, CPU, uptime, open files. */
    private static void bindProcessMetrics(MeterRegistry registry) {
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(), new ProcessorMetrics(),
                new UptimeMetrics(), new FileDescriptorMetrics()).forEach(binder -> binder.bindTo(registry));
    }

    /** Registers the reconciler with the client and configuration given, and starts it. */
    public static Operator start(KubernetesClient client, OperatorConfig config, MeterRegistry registry) {
        return start(client, config, registry, () -> { });
    }

    /**
     * As {@link #start(KubernetesClient, OperatorConfig, MeterRegistry)}, calling {@code onLeadershipLost}
     * when this replica stops leading and the configuration asks to exit then. java-operator-sdk's own
     * exit on loss is never used: it calls System.exit from inside {@link Operator#stop()}, which
     * deadlocks when stop runs in a shutdown hook.
     */
    public static Operator start(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Runnable onLeadershipLost) {
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    // java-operator-sdk writes nothing of the primary (StatusWriter writes its status): no server-side apply
                    .withUseSSAToPatchPrimaryResource(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withConcurrentReconciliationThreads(config.reconcile().threads())
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
            if (config.leaderElection() != null) {
                OperatorConfig.LeaderElection election = config.leaderElection();
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(election.leaseName(), election.namespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
                        new LeaderCallbacks(() -> { }, election.exitOnLoss() ? onLeadershipLost : () -> { }, leader -> { }),
                        false));
            }
        });
        RunnerJobs jobs = new RunnerJobs(client, new RunnerJobFactory(config.runner(), config.allowlist()), config.runner().jobHistory());
        PipelineEvents events = new PipelineEvents(client);
        StatusWriter status = new StatusWriter(events, new PipelineMetrics(registry));
        EtlPipelineReconciler reconciler = new EtlPipelineReconciler(new PipelineValidator(config.allowlist()), jobs,
                new RunProgressReader(client), config.reconcile().progressRefresh(), events, status, Clock.systemUTC());
        operator.register(reconciler, controller -> {
            controller.withReconciliationMaxInterval(config.reconcile().resyncPeriod());
            controller.withItemStore(RunnerInformers.pipelineStore(
                    gone -> status.forget(gone.getMetadata().getNamespace(), gone.getMetadata().getName(), gone.getMetadata().getUid())));
            if (config.reconcile().rateLimitPerSecond() > 0) {
                controller.withRateLimiter(new LinearRateLimiter(Duration.ofSeconds(1), config.reconcile().rateLimitPerSecond()));
            }
            if (!config.watchNamespaces().isEmpty()) {
                controller.settingNamespaces(config.watchNamespaces());
            }
        });
        operator.start();
        return operator;
    }
}
