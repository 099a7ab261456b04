package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.e2e.support.InstalledOperator;
import dev.platform.etl.e2e.support.PipelineNamespace;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.postgres.Gate;
import dev.platform.etl.testkit.process.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code kubectl etl}, run by kubectl from PATH as users run it, against pipelines on the real control plane. */
class KubectlPluginTest {
    private static final int FILMS = 12;
    private static final long PAUSE_GATE = 5151;
    private static final Path PLUGIN = RepositoryRoot.find().resolve("kubectl-plugin");
    @RegisterExtension
    static final InstalledOperator OPERATOR = InstalledOperator.withValues(Map.of());
    private final SharedCluster cluster = SharedCluster.get();
    private PipelineNamespace namespace;

    @Test
    void runWaitsForTheRunAndStatusAndRunsShowIt() throws Exception {
        namespace = OPERATOR.namespace("plugin", FILMS);
        namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).yaml());

        Processes.Result run = etl("run", "film-dim", "--wait", "--timeout", "3m");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("etlpipeline/film-dim run requested").containsPattern("run film-dim-1-\\w+ SUCCEEDED: read 12, wrote 12");
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).as("the run had ended when --wait returned").isEqualTo(FILMS);

        Processes.Result status = etl("status");
        assertThat(status.output().lines().findFirst().orElseThrow()).contains("NAME", "PHASE", "READY", "LAST RESULT", "SINCE SUCCESS", "PROGRESS");
        assertThat(status.output()).containsPattern("film-dim\\s+Succeeded\\s+True\\s+SUCCEEDED\\s+\\d+s");

        Processes.Result runs = etl("runs", "film-dim");
        assertThat(runs.output()).containsPattern("film-dim-1-\\w+\\s+SUCCEEDED\\s+.*12\\s+12");

        Processes.Result logs = etl("logs", "film-dim");
        assertThat(logs.output()).containsPattern("==> pod film-dim-1-\\w+ \\(Job film-dim-1\\) <==").contains("ETL-PROGRESS");

        Processes.Result missing = etl("runs", "no-such-pipeline");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("no EtlPipeline no-such-pipeline in namespace " + namespace.name());
    }

    @Test
    void pauseAndResumeWaitForTheRunToPauseAndGoOn() throws Exception {
        namespace = OPERATOR.namespace("plugin-pause", FILMS);
        namespace.database().stallTargetWriteOf(namespace.database().text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"),
                PAUSE_GATE);
        try (Gate gate = namespace.database().closedGate(PAUSE_GATE)) {
            namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
            await("a write held by the gate").atMost(PipelineNamespace.RUN_TIMEOUT).until(gate::hasWaiter);
            Processes.Result pausing = etl("pause", "film-dim");
            assertThat(pausing.output()).contains("etlpipeline/film-dim pausing");
            await("the runner got SIGTERM").atMost(PipelineNamespace.RUN_TIMEOUT).until(() -> namespace.runnerPods("film-dim").stream()
                    .anyMatch(pod -> cluster.kubelet().logs(namespace.name(), pod.getMetadata().getName()).contains("SIGTERM: pausing")));
            gate.open();
            Processes.Result paused = etl("pause", "film-dim", "--wait", "--timeout", "3m");
            assertThat(paused.exitCode()).as(paused.output()).isZero();
            assertThat(paused.output()).contains("etlpipeline/film-dim paused");
        }
        assertThat(namespace.database().text("SELECT status FROM etl.pipeline_run ORDER BY id DESC LIMIT 1")).isEqualTo("PAUSED");

        Processes.Result resumed = etl("resume", "film-dim", "--wait", "--timeout", "3m");
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).containsPattern("etlpipeline/film-dim resumed: (running|succeeded)");
        namespace.awaitRunsFinished("film-dim", 1);
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
    }

    @Test
    void explainFailureShowsTheMessageTheWarningsAndThePodsEndTogether() throws Exception {
        namespace = OPERATOR.namespace("plugin-fail", FILMS);
        namespace.apply(DemoPipelines.filmDim("broken").tieBreaker("id").batchSize(5)
                .query(DemoPipelines.FILM_QUERY + " WHERE 1 / (length(title) - length(title)) = 1").yaml());

        Processes.Result run = etl("run", "broken", "--wait", "--timeout", "3m");
        assertThat(run.exitCode()).as("a failed run: " + run.output()).isEqualTo(1);
        assertThat(run.output()).containsPattern("run broken-1-\\w+ FAILED");

        Processes.Result explained = etl("explain-failure", "broken");
        assertThat(explained.exitCode()).as(explained.output()).isZero();
        assertThat(explained.output()).contains("etlpipeline/broken in " + namespace.name() + ": phase Failed")
                .containsPattern("last run: broken-1-\\w+ FAILED at .*division by zero")
                .contains("RunFailed:")
                .containsPattern("(?s)pod broken-1-\\w+: exited 1 .*termination message: .*\"result\":\"FAILED\"");
    }

    /** {@code kubectl etl ARGS -n NAMESPACE}, the plugin found on PATH. */
    private Processes.Result etl(String... args) {
        List<String> command = new ArrayList<>(List.of("etl"));
        command.addAll(List.of(args));
        command.addAll(List.of("-n", namespace.name()));
        return cluster.kubectl().plugin(PLUGIN, command.toArray(String[]::new));
    }
}
