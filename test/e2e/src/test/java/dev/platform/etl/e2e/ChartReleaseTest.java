package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.e2e.support.OperatorRelease;
import dev.platform.etl.e2e.support.PipelineNamespace;
import dev.platform.etl.testkit.container.ImageArchive;
import dev.platform.etl.testkit.container.Runc;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.kube.AuditLog;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chart's whole lifecycle on the real control plane, with default values and an allowlist:
 * install (the operator pod runs under its ServiceAccount token with the chart's RBAC), a run,
 * upgrade, SIGTERM, uninstall.
 */
class ChartReleaseTest {
    private static final int FILMS = 12;
    private static final String CRD = "etlpipelines.etl.platform.dev";
    private final SharedCluster cluster = SharedCluster.get();
    private final KubernetesClient client = cluster.plane().adminClient();
    private OperatorRelease release;

    @BeforeEach
    void install() {
        release = OperatorRelease.install(Map.of());
    }

    @AfterEach
    void uninstall() {
        if (release != null) {
            release.close();
        }
        client.close();
    }

    @Test
    void theOperatorRunsAPipelineUnderItsOwnServiceAccountWithNoRequestDenied() throws Exception {
        Pod operator = readyOperatorPod();
        assertThat(operator.getSpec().getServiceAccountName()).isEqualTo("etl-operator");
        if (Runc.usable()) {
            assertThat(operator.getStatus().getContainerStatuses().get(0).getContainerID())
                    .as("the operator runs from its image, with the token mounted where in-cluster clients look").startsWith("runc://");
        }

        try (PipelineNamespace namespace = PipelineNamespace.create("lifecycle", FILMS)) {
            namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
            EtlPipeline done = namespace.awaitRunsFinished("film-dim", 1);

            assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
            assertThat(done.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
            assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        }

        List<AuditLog.Request> requests = cluster.plane().auditLog().requestsOf(OperatorRelease.SERVICE_ACCOUNT, release.installing());
        assertThat(requests).as("the operator talked to the API server as its ServiceAccount")
                .anySatisfy(r -> assertThat(r.uri()).contains("/etlpipelines"))
                .anySatisfy(r -> assertThat(r.verb()).isEqualTo("create"));
        assertThat(AuditLog.deniedForGood(requests)).as("requests the chart's RBAC denied").isEmpty();
    }

    @Test
    void upgradeRollsTheOperatorAndUninstallKeepsTheCrdAndThePipelines() throws Exception {
        String before = readyOperatorPod().getMetadata().getName();
        // a CRD that drifted from the chart's (as an older chart version would have left it)
        cluster.kubectl().run("patch", "crd", CRD, "--type", "json",
                "-p", "[{\"op\": \"replace\", \"path\": \"/spec/versions/0/additionalPrinterColumns/1/name\", \"value\": \"Old Column\"}]");

        release.upgrade(Map.of("runner.backoffLimit", 4));

        assertThat(client.apiextensions().v1().customResourceDefinitions().withName(CRD).get().getSpec().getVersions().get(0)
                .getAdditionalPrinterColumns().get(1).getName()).as("helm upgrade upgrades the CRD").isEqualTo("Last Result");

        await("the old operator pod gone").atMost(Duration.ofMinutes(1))
                .until(() -> release.operatorPods(client).stream().noneMatch(p -> p.getMetadata().getName().equals(before)));
        assertThat(readyOperatorPod().getMetadata().getName()).isNotEqualTo(before);

        try (PipelineNamespace namespace = PipelineNamespace.create("uninstall", FILMS)) {
            namespace.apply(DemoPipelines.filmDim("kept").tieBreaker("id").batchSize(5).yaml());
            release.close();
            release = null;

            assertThat(client.apiextensions().v1().customResourceDefinitions().withName(CRD).get()).isNotNull();
            assertThat(namespace.get("kept")).isNotNull();
        }
    }

    @Test
    void aRunWhosePodCannotBeCreatedIsPendingWithTheReasonAndAWarning() throws Exception {
        // a runner ServiceAccount that the pipeline's namespace lacks: the Job controller cannot create the pod
        release.upgrade(Map.of("runner.serviceAccount.name", "etl-runner"));

        try (PipelineNamespace namespace = PipelineNamespace.create("no-pod", FILMS)) {
            namespace.apply(DemoPipelines.filmDim("stuck").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());

            await("the run reported as unable to start its pod").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> stalled(namespace.get("stuck")).filter(c -> "PodNotCreated".equals(c.getReason())).isPresent());
            EtlPipeline stuck = namespace.get("stuck");
            assertThat(stuck.getStatus().getPhase()).isEqualTo(Phase.Pending);
            assertThat(stalled(stuck)).hasValueSatisfying(c -> assertThat(c.getMessage()).contains("kubectl describe job stuck-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> warnings(namespace).anyMatch(e -> "PodNotCreated".equals(e.getReason())));
            assertThat(namespace.runnerPods("stuck")).isEmpty();
        }
    }

    @Test
    void aRunnerPodThatNoNodeCanTakeIsStalledWithTheSchedulersReason() throws Exception {
        release.upgrade(Map.of("runner.resources.requests.cpu", "64", "runner.resources.limits.cpu", "64"));

        try (PipelineNamespace namespace = PipelineNamespace.create("unschedulable", FILMS)) {
            namespace.apply(DemoPipelines.filmDim("too-big").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());

            await("the run reported as unable to start its pod").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> stalled(namespace.get("too-big")).filter(c -> "PodCannotStart".equals(c.getReason())).isPresent());
            EtlPipeline stuck = namespace.get("too-big");
            assertThat(stuck.getStatus().getPhase()).isEqualTo(Phase.Pending);
            assertThat(stalled(stuck)).hasValueSatisfying(c -> assertThat(c.getMessage()).contains("Unschedulable", "Insufficient cpu"));
            await().atMost(Duration.ofSeconds(30)).until(() -> warnings(namespace).anyMatch(e -> "PodCannotStart".equals(e.getReason())
                    && e.getMessage().contains("Unschedulable")));
        }
    }

    @Test
    void aRunnerImageMisspeltOrMissingStallsTheRunWithTheKubeletsReasonOnceAndAFixedImageRunsIt() throws Exception {
        try (PipelineNamespace namespace = PipelineNamespace.create("images", FILMS)) {
            release.upgrade(Map.of("runner.image.repository", "Etl-Runner"));
            namespace.apply(DemoPipelines.filmDim("bad-name").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
            await("a reference that does not parse, reported").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> stalled(namespace.get("bad-name")).filter(c -> "PodCannotStart".equals(c.getReason())).isPresent());
            assertThat(stalled(namespace.get("bad-name"))).hasValueSatisfying(c -> assertThat(c.getMessage())
                    .contains("InvalidImageName", "repository name (", "Etl-Runner) must be lowercase", "kubectl delete job bad-name-1"));

            release.upgrade(Map.of("runner.image.repository", "etl-runner-missing"));
            namespace.apply(DemoPipelines.filmDim("no-image").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
            await("the kubelet backing off between pulls").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> namespace.runnerPods("no-image").stream().anyMatch(pod -> waitingReason(pod).equals("ImagePullBackOff")));
            await("an image that cannot be pulled, reported").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> stalled(namespace.get("no-image")).filter(c -> "PodCannotStart".equals(c.getReason())).isPresent());
            EtlPipeline stuck = namespace.get("no-image");
            assertThat(stuck.getStatus().getPhase()).isEqualTo(Phase.Pending);
            assertThat(stalled(stuck)).hasValueSatisfying(c -> assertThat(c.getMessage())
                    .contains("ErrImagePull", "failed to pull and unpack image", "etl-runner-missing", "kubectl delete job no-image-1"));
            assertThat(warnings(namespace).filter(e -> "no-image".equals(e.getInvolvedObject().getName()) && "PodCannotStart".equals(e.getReason())))
                    .as("ErrImagePull and ImagePullBackOff, one state: one Warning").hasSize(1);

            release.upgrade(Map.of("runner.image.repository", "etl-runner"));
            cluster.kubectl().run("delete", "job", "no-image-1", "-n", namespace.name());
            EtlPipeline done = namespace.awaitRunsFinished("no-image", 1);
            assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
            assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        }
    }

    private static String waitingReason(Pod pod) {
        return pod.getStatus().getContainerStatuses() == null ? "" : pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
                .map(s -> s.getState().getWaiting().getReason()).findFirst().orElse("");
    }

    @Test
    void aRunnerImageThatRunsAsRootIsRefusedUnderRunAsNonRootAndTheRunSaysWhy() throws Exception {
        assumeTrue(Runc.usable(), "runc and root are needed to run images; without them pods run as local JVMs");
        // an image built without a USER, and the chart's runAsUser dropped: only runAsNonRoot stands in the way
        ImageArchive.read(SharedCluster.imageTar("etl-runner")).withUser("", SharedCluster.imageTar("etl-runner-as-root"));
        release.upgrade(Map.of("runner.image.repository", "etl-runner-as-root", "runner.podSecurityContext.runAsUser", "null"));

        try (PipelineNamespace namespace = PipelineNamespace.create("as-root", FILMS)) {
            namespace.apply(DemoPipelines.filmDim("as-root").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());

            await("the run reported as unable to start its container").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> stalled(namespace.get("as-root")).filter(c -> "PodCannotStart".equals(c.getReason())).isPresent());
            EtlPipeline refused = namespace.get("as-root");
            assertThat(refused.getStatus().getPhase()).isEqualTo(Phase.Pending);
            assertThat(stalled(refused)).hasValueSatisfying(c -> assertThat(c.getMessage())
                    .contains("CreateContainerConfigError", "container has runAsNonRoot and image will run as root", "kubectl delete job as-root-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> warnings(namespace).anyMatch(e -> "PodCannotStart".equals(e.getReason())
                    && "EtlPipeline".equals(e.getInvolvedObject().getKind())));
            assertThat(warnings(namespace).filter(e -> "Pod".equals(e.getInvolvedObject().getKind())))
                    .as("the kubelet's own Event, as kubectl describe pod shows it")
                    .anySatisfy(e -> assertThat(e.getMessage()).startsWith("Error: container has runAsNonRoot and image will run as root"));
            assertThat(namespace.runnerPods("as-root")).singleElement()
                    .satisfies(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Pending"));

            // what the message says to do: fix the values, delete the Job; the run starts again
            release.upgrade(Map.of("runner.image.repository", "etl-runner", "runner.podSecurityContext.runAsUser", 65532));
            cluster.kubectl().run("delete", "job", "as-root-1", "-n", namespace.name());
            EtlPipeline done = namespace.awaitRunsFinished("as-root", 1);
            assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
            assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        }
    }

    private static Optional<Condition> stalled(EtlPipeline pipeline) {
        return pipeline.getStatus() == null ? Optional.empty()
                : pipeline.getStatus().getConditions().stream().filter(c -> c.getType().equals("Stalled") && c.getStatus().equals("True")).findFirst();
    }

    private static Stream<Event> warnings(PipelineNamespace namespace) {
        return namespace.client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()));
    }

    @Test
    void theOperatorExitsBeforeItsGracePeriodEndsOnSigterm() throws Exception {
        Pod operator = readyOperatorPod();
        ProcessHandle process = cluster.kubelet().process(OperatorRelease.NAMESPACE, operator.getMetadata().getName()).orElseThrow();
        CompletableFuture<ProcessHandle> exit = process.onExit();
        long started = System.nanoTime();

        cluster.kubectl().run("delete", "pod", "-n", OperatorRelease.NAMESPACE, operator.getMetadata().getName(), "--wait=false");

        exit.get(1, TimeUnit.MINUTES);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // exited by itself, not killed when the grace period ran out: no speed is asserted
        Duration grace = Duration.ofSeconds(operator.getSpec().getTerminationGracePeriodSeconds());
        assertThat(took).as("from SIGTERM to exit, against the grace period before SIGKILL").isLessThan(grace);
    }

    @Test
    void helmTestChecksTheInstallationFromTheOperatorsImage() {
        readyOperatorPod();

        Helm.test(OperatorRelease.NAME).withNamespace(OperatorRelease.NAMESPACE)
                .withKubeConfig(cluster.plane().adminKubeconfig()).withTimeout(300).call();

        var check = client.pods().inNamespace(OperatorRelease.NAMESPACE).withName("etl-operator-check");
        try {
            assertThat(check.get().getStatus().getPhase()).isEqualTo("Succeeded");
            assertThat(check.getLog()).as("the check's report, kept for kubectl logs")
                    .containsPattern("ok: \\d+ EtlPipeline\\(s\\) in all namespaces")
                    .containsPattern("ok: \\S+ leads \\(Lease etl-system/etl-operator, renewed");
        } finally {
            check.delete();
        }
    }

    @Test
    void theRunnerPodValuesReachTheRunnersPodsOnTheApiServer() throws Exception {
        release.upgrade(Map.of("runner.podLabels.team", "data", "runner.podAnnotations.example\\.com/owner", "platform",
                "runner.extraEnv[0].name", "TZ", "runner.extraEnv[0].value", "Europe/Paris",
                "runner.tolerations[0].key", "dedicated", "runner.tolerations[0].operator", "Exists",
                "runner.imagePullSecrets[0].name", "registry-credentials"));

        try (PipelineNamespace namespace = PipelineNamespace.create("pod-values", FILMS)) {
            namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
            EtlPipeline done = namespace.awaitRunsFinished("film-dim", 1);

            assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
            Pod runner = namespace.runnerPods("film-dim").get(0);
            assertThat(runner.getMetadata().getLabels()).containsEntry("team", "data").containsEntry("etl.platform.dev/pipeline", "film-dim");
            assertThat(runner.getMetadata().getAnnotations()).containsEntry("example.com/owner", "platform");
            assertThat(runner.getSpec().getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
            assertThat(runner.getSpec().getImagePullSecrets()).singleElement().satisfies(r -> assertThat(r.getName()).isEqualTo("registry-credentials"));
            assertThat(runner.getSpec().getContainers().get(0).getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("TZ"));
        }
    }

    @Test
    void everyOptionOfTheChartIsAcceptedByTheApiServer() throws Exception {
        Path values = RepositoryRoot.find().resolve("operator/src/test/resources/chart/values-every-option.yaml");
        String rendered = new Helm(RepositoryRoot.find().resolve("helm/etl-operator")).template().withName("etl-team-a")
                .withNamespace(OperatorRelease.NAMESPACE).withValuesFile(values).set("crds.install", false).call();
        for (String namespace : List.of("etl-a", "etl-b")) {
            cluster.kubectl().attempt("create", "namespace", namespace);
        }

        assertThat(cluster.kubectl().applyDryRun(rendered)).contains("deployment.apps/etl-team-a created (server dry run)")
                .contains("poddisruptionbudget.policy/etl-team-a created (server dry run)")
                .contains("serviceaccount/etl-runner-sa created (server dry run)");
    }

    private Pod readyOperatorPod() {
        await("a ready operator pod").atMost(Duration.ofMinutes(2)).until(() -> release.operatorPods(client).stream().anyMatch(ChartReleaseTest::ready));
        return release.operatorPods(client).stream().filter(ChartReleaseTest::ready).findFirst().orElseThrow();
    }

    private static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
