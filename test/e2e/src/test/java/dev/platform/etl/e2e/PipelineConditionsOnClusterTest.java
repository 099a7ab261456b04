package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.e2e.support.InstalledOperator;
import dev.platform.etl.e2e.support.PipelineNamespace;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.postgres.Gate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conditions as users and their tools read them: {@code kubectl wait --for=condition=Ready},
 * a wait for the run one requested to end, and a run that cannot progress until a user acts
 * shown as Stalled, with the kubelet's reason and a Warning.
 */
class PipelineConditionsOnClusterTest {
    private static final int FILMS = 12;
    private static final long RUN_GATE = 7171;
    @RegisterExtension
    static final InstalledOperator OPERATOR = InstalledOperator.withValues(Map.of());
    private final SharedCluster cluster = SharedCluster.get();
    private PipelineNamespace namespace;

    @Test
    void kubectlWaitsForReadyAndThenForTheRequestedRunToEnd() throws Exception {
        namespace = OPERATOR.namespace("wait", FILMS);
        namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).yaml());

        kubectl("wait", "etlp/film-dim", "--for=condition=Ready", "--timeout=3m");
        EtlPipeline ready = namespace.get("film-dim");
        assertThat(ready.getStatus().getPhase()).as("valid and never asked to run").isEqualTo(Phase.Idle);
        assertThat(condition(ready, "LastRunSucceeded")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("Unknown"));
        assertThat(ready.getStatus().getConditions()).as("every condition speaks for the generation applied")
                .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration()));

        namespace.database().stallTargetWriteOf(namespace.database().text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"),
                RUN_GATE);
        try (Gate gate = namespace.database().closedGate(RUN_GATE)) {
            namespace.patchSpec("film-dim", "{\"runRequest\": \"r-1\"}");
            kubectl("wait", "etlp/film-dim", "--for=condition=Reconciling", "--timeout=3m");
            assertThat(cluster.kubectl().attempt("wait", "etlp/film-dim", "-n", namespace.name(),
                    "--for=jsonpath={.status.handledRunRequest}=r-1", "--timeout=1s").exitCode())
                    .as("the wait for the run's end does not return while the run is held mid-way").isNotZero();
            gate.open();
        }
        kubectl("wait", "etlp/film-dim", "--for=jsonpath={.status.handledRunRequest}=r-1", "--timeout=3m");
        EtlPipeline done = namespace.get("film-dim");

        assertThat(done.getStatus().getCurrentRun()).as("the run has ended when the wait returns").isNull();
        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        kubectl("wait", "etlp/film-dim", "--for=condition=LastRunSucceeded", "--timeout=10s");
        assertThat(condition(done, "Reconciling")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(condition(done, "Stalled")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    @Test
    void aMisspelledSecretStallsTheRunWithTheKubeletsReasonUntilTheSecretExists() throws Exception {
        namespace = OPERATOR.namespace("secret", FILMS);
        namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).source("source-dbb").runRequest("r-1").yaml());

        kubectl("wait", "etlp/film-dim", "--for=condition=Stalled", "--timeout=3m");
        EtlPipeline stalled = namespace.get("film-dim");

        assertThat(stalled.getStatus().getPhase()).isEqualTo(Phase.Pending);
        assertThat(condition(stalled, "Stalled")).hasValueSatisfying(c -> {
            assertThat(c.getReason()).isEqualTo("PodCannotStart");
            assertThat(c.getMessage()).contains("CreateContainerConfigError", "source-dbb");
        });
        assertThat(condition(stalled, "Ready")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(condition(stalled, "Reconciling")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        await("a Warning on the pipeline").atMost(Duration.ofSeconds(30)).until(() -> warnings().stream()
                .anyMatch(e -> "PodCannotStart".equals(e.getReason()) && e.getMessage().contains("source-dbb")));

        // the kubelet retries the pod's config: creating the Secret it names is the fix
        namespace.client().secrets().inNamespace(namespace.name()).resource(new SecretBuilder().withNewMetadata().withName("source-dbb")
                .endMetadata().withData(namespace.client().secrets().inNamespace(namespace.name()).withName("source-db").get().getData())
                .build()).create();
        EtlPipeline done = namespace.awaitRunsFinished("film-dim", 1);

        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(condition(done, "Stalled")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
    }

    private void kubectl(String... args) {
        String[] inNamespace = new String[args.length + 2];
        System.arraycopy(args, 0, inNamespace, 0, args.length);
        inNamespace[args.length] = "-n";
        inNamespace[args.length + 1] = namespace.name();
        cluster.kubectl().run(inNamespace);
    }

    private static Optional<Condition> condition(EtlPipeline pipeline, String type) {
        return pipeline.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private List<Event> warnings() {
        return namespace.client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && "EtlPipeline".equals(e.getInvolvedObject().getKind())).toList();
    }
}
