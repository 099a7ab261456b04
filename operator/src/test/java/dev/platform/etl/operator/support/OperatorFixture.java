package dev.platform.etl.operator.support;

import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.operator.EtlOperator;
import dev.platform.etl.operator.config.OperatorConfig;
import dev.platform.etl.operator.config.ReconcileSettings;
import dev.platform.etl.operator.config.RunnerDefaults;
import dev.platform.etl.operator.config.RunnerPodTemplate;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.postgres.Gate;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import dev.platform.etl.testkit.postgres.TestDatabase;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The operator running for real against the mock API server, a Job executor running real runner
 * JVMs, and a real PostgreSQL database with the demo data.
 */
public final class OperatorFixture implements AutoCloseable {
    public static final String NAMESPACE = "etl-test";
    public static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final long STALL_GATE = 8383;

    private final MockCluster cluster;
    private final JobExecutor executor;
    private final TestDatabase database;
    private final OperatorConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private KubernetesClient operatorClient;
    private Operator operator;

    private OperatorFixture(MockCluster cluster, JobExecutor executor, TestDatabase database, OperatorConfig config) {
        this.cluster = cluster;
        this.executor = executor;
        this.database = database;
        this.config = config;
    }

    public static OperatorFixture start(Path directory, int films) throws Exception {
        TestDatabase database = SharedPostgres.get().freshDatabase();
        try (Connection connection = database.connect()) {
            DemoData.reset(connection, films);
        }
        MockCluster cluster = new MockCluster();
        OperatorConfig config = new OperatorConfig(Set.of(),
                Allowlist.fromEnvironment(Map.of(Allowlist.POSTGRES_TABLES_ENV, DemoData.TARGET_TABLE)),
                new RunnerDefaults("etl-runner:test", "IfNotPresent", "etl-runner", 3, 30, "100m", "128Mi", "1", "512Mi", "30s", "10s", 2, RunnerPodTemplate.NONE, LogSettings.DEFAULT),
                ReconcileSettings.fromEnvironment(Map.of()),
                new OperatorConfig.LeaderElection("etl-operator", "etl-system", false), 0);
        OperatorFixture fixture = new OperatorFixture(cluster, new JobExecutor(cluster.client(), directory), database, config);
        fixture.createSecrets();
        fixture.startOperator();
        return fixture;
    }

    public KubernetesClient client() {
        return cluster.client();
    }

    public MockCluster cluster() {
        return cluster;
    }

    /** The operator's metrics, as /metrics serves them. */
    public String metrics() {
        return registry.scrape();
    }

    public JobExecutor executor() {
        return executor;
    }

    public void startOperator() {
        operatorClient = cluster.newClient();
        operator = EtlOperator.start(operatorClient, config, registry);
    }

    /** Stops the operator as a crash or a rollout would: its state is only what it wrote to the API. */
    public void stopOperator() {
        operator.stop();
        operatorClient.close();
    }

    private void createSecrets() {
        for (String name : new String[] {"source-db", "target-db"}) {
            client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                    .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                    .withStringData(Map.of("jdbcUrl", database.jdbcUrl(), "username", database.username(),
                            "password", database.password() == null ? "" : database.password()))
                    .build()).create();
        }
    }

    public EtlPipeline apply(String yaml) throws Exception {
        EtlPipeline pipeline = new ManifestLoader().parsePipeline(yaml);
        pipeline.getMetadata().setNamespace(NAMESPACE);
        return client().resource(pipeline).create();
    }

    public EtlPipeline get(String name) {
        return client().resources(EtlPipeline.class).inNamespace(NAMESPACE).withName(name).get();
    }

    /** A merge patch of the spec, as {@code kubectl patch etlp NAME --type merge -p ...} sends. */
    public void patchSpec(String name, String specJson) {
        client().resources(EtlPipeline.class).inNamespace(NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    public EtlPipeline awaitPhase(String name, Phase phase) {
        await("phase " + phase + " of " + name).atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    EtlPipeline pipeline = get(name);
                    return pipeline.getStatus() != null && pipeline.getStatus().getPhase() == phase;
                });
        return get(name);
    }

    /** Waits until the pipeline has finished the given number of runs, and returns it. */
    public EtlPipeline awaitRunsFinished(String name, long runs) {
        try {
            await("run " + runs + " of " + name + " finished").atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        EtlPipeline pipeline = get(name);
                        return pipeline.getStatus() != null && pipeline.getStatus().getCurrentRun() == null
                                && pipeline.getStatus().getRunCount() != null && pipeline.getStatus().getRunCount() >= runs
                                && pipeline.getStatus().getLastRun() != null
                                && pipeline.getStatus().getLastRun().getJob().endsWith("-" + runs);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; status: " + client().getKubernetesSerialization().asJson(get(name).getStatus()), e);
        }
        return get(name);
    }

    public Connection connect() throws SQLException {
        return database.connect();
    }

    /** See {@link TestDatabase#expireLeases}. */
    public void expireLeases() throws SQLException {
        database.expireLeases();
    }

    public long count(String sql) throws SQLException {
        return database.count(sql);
    }

    public String text(String sql) throws SQLException {
        return database.text(sql);
    }

    public void execute(String sql) throws SQLException {
        database.execute(sql);
    }

    /** The demo target's writes logged in analytics.write_log, each taking {@code millis}. */
    public void slowLoggedTargetWrites(int millis) throws SQLException {
        database.logTargetWrites();
        database.slowTargetWrites(millis);
    }

    /**
     * The demo target's writes are logged, and writing the film at {@code offset} (in
     * {@code order}) waits on a lock that the returned connection holds, until {@link #release}:
     * a run stalls in the middle of a batch for as long as a test needs.
     */
    public Gate stallWriteOfFilmAt(int offset, String order) throws SQLException {
        database.logTargetWrites();
        database.stallTargetWriteOf(database.text("SELECT id::text FROM content.film_work ORDER BY " + order + " OFFSET " + offset + " LIMIT 1"),
                STALL_GATE);
        return database.closedGate(STALL_GATE);
    }

    public static void awaitStalledWrite(Gate gate) {
        await("a write stalled in the middle of its batch").atMost(RUN_TIMEOUT).until(gate::hasWaiter);
    }

    public long runningBatches(String pipeline) throws SQLException {
        return database.runningBatches(pipeline);
    }

    @Override
    public void close() {
        executor.close();
        try {
            operator.stop();
        } catch (RuntimeException ignored) {
            // already stopped by the test
        }
        cluster.close();
    }
}
