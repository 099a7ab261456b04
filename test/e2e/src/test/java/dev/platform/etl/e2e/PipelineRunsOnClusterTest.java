package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.e2e.support.InstalledOperator;
import dev.platform.etl.e2e.support.OperatorRelease;
import dev.platform.etl.e2e.support.PipelineNamespace;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.kube.AuditLog;
import dev.platform.etl.testkit.kube.LogHold;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.postgres.Gate;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pipelines through the real cluster, in namespaces other than the operator's, driven with kubectl
 * as users do: runs on request (full and incremental), pause and resume through the real Job
 * controller, a runner pod deleted or killed mid-run, a forbidden target, deletion, and schedules
 * (a time zone, a tick past its starting deadline).
 */
class PipelineRunsOnClusterTest {
    private static final int FILMS = 24;
    @RegisterExtension
    static final InstalledOperator OPERATOR = InstalledOperator.withValues(Map.of());
    private final SharedCluster cluster = SharedCluster.get();
    private PipelineNamespace namespace;

    @Test
    void eachNewRunRequestGivesOneRunAndTheTargetIsExact() throws Exception {
        namespace = OPERATOR.namespace("full", FILMS);
        namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
        EtlPipeline first = namespace.awaitRunsFinished("film-dim", 1);

        Instant requested = Instant.now();
        namespace.patchSpec("film-dim", "{\"runRequest\": \"r-2\"}");
        EtlPipeline second = namespace.awaitRunsFinished("film-dim", 2);

        assertThat(writesStartingARun(requested)).as("the operator's writes from a run request to its Job, recorded")
                .hasSizeLessThanOrEqualTo(4).anyMatch(w -> w.verb().equals("create") && w.uri().contains("/jobs"));

        for (EtlPipeline run : new EtlPipeline[] {first, second}) {
            assertThat(run.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
            assertThat(run.getStatus().getLastRun().getRowsRead()).isEqualTo(FILMS);
            assertThat(run.getStatus().getLastRun().getRowsWritten()).isEqualTo(FILMS);
        }
        assertThat(second.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(namespace.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'SUCCEEDED'")).isEqualTo(2);
        assertThat(namespace.jobs()).hasSize(2);
        String listed = cluster.kubectl().run("get", "etlp", "film-dim", "-n", namespace.name());
        assertThat(listed).contains("Succeeded", "SUCCEEDED", String.valueOf(FILMS));
        String logged = cluster.kubectl().run("logs", "job/film-dim-2", "-n", namespace.name(), "--tail=20");
        assertThat(RunnerProgress.lastIn(logged)).as("kubectl logs shows the runner's progress lines")
                .hasValueSatisfying(progress -> assertThat(progress.rowsRead()).isEqualTo(FILMS));
    }

    /** The operator's writes in the namespace after {@code since}, up to its first Job create and the status patch after it. */
    private List<AuditLog.Request> writesStartingARun(Instant since) {
        List<AuditLog.Request> writes = cluster.plane().auditLog().requestsOf(OperatorRelease.SERVICE_ACCOUNT, since).stream()
                .filter(AuditLog.Request::isWrite).filter(w -> w.uri().contains("/namespaces/" + namespace.name() + "/")).toList();
        int jobCreated = IntStream.range(0, writes.size()).filter(i -> writes.get(i).verb().equals("create") && writes.get(i).uri().contains("/jobs"))
                .findFirst().orElse(writes.size() - 1);
        int recorded = IntStream.range(jobCreated, writes.size()).filter(i -> writes.get(i).uri().contains("/status"))
                .findFirst().orElse(writes.size() - 1);
        return writes.subList(0, recorded + 1);
    }

    @Test
    void anIncrementalPipelineReadsNothingNewThenExactlyTheTouchedRow() throws Exception {
        namespace = OPERATOR.namespace("inc", FILMS);
        namespace.apply(DemoPipelines.filmDim("film-inc").incremental("modified", "id").batchSize(5).runRequest("r-1").yaml());
        EtlPipeline first = namespace.awaitRunsFinished("film-inc", 1);
        String checkpoint = first.getStatus().getCheckpoint().toString();

        namespace.patchSpec("film-inc", "{\"runRequest\": \"r-2\"}");
        EtlPipeline unchanged = namespace.awaitRunsFinished("film-inc", 2);
        namespace.database().execute("UPDATE content.film_work SET modified = now() WHERE id = (SELECT id FROM content.film_work LIMIT 1)");
        namespace.patchSpec("film-inc", "{\"runRequest\": \"r-3\"}");
        EtlPipeline touched = namespace.awaitRunsFinished("film-inc", 3);

        assertThat(first.getStatus().getLastRun().getRowsRead()).isEqualTo(FILMS);
        assertThat(unchanged.getStatus().getLastRun().getRowsRead()).isZero();
        assertThat(unchanged.getStatus().getLastRun().getRowsWritten()).isZero();
        assertThat(unchanged.getStatus().getCheckpoint().toString()).isEqualTo(checkpoint);
        assertThat(touched.getStatus().getLastRun().getRowsRead()).isEqualTo(1);
        assertThat(touched.getStatus().getLastRun().getRowsWritten()).isEqualTo(1);
        assertThat(touched.getStatus().getCheckpoint().toString()).isNotEqualTo(checkpoint);
    }

    @Test
    void whileARunRunsItsProgressShowsInStatusAndInTheWideListing() throws Exception {
        namespace = OPERATOR.namespace("progress", FILMS);
        String lastCommitted = namespace.database().text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 5 LIMIT 1");
        namespace.database().stallTargetWriteOf(namespace.database().text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"),
                PROGRESS_GATE);
        EtlPipeline running;
        String wide;
        try (Gate gate = namespace.database().closedGate(PROGRESS_GATE)) {
            namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(2).runRequest("r-1").yaml());
            running = await("three batches committed and shown in status").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> namespace.get("film-dim"), p -> p.getStatus() != null && p.getStatus().getCurrentRun() != null
                            && Long.valueOf(3).equals(p.getStatus().getCurrentRun().getBatches()));
            wide = cluster.kubectl().run("get", "etlp", "film-dim", "-n", namespace.name(), "-o", "wide");
            gate.open();
        }
        EtlPipeline done = namespace.awaitRunsFinished("film-dim", 1);

        assertThat(running.getStatus().getPhase()).isEqualTo(Phase.Running);
        assertThat(running.getStatus().getCurrentRun().getRowsRead()).isEqualTo(6);
        assertThat(running.getStatus().getCurrentRun().getRowsWritten()).isEqualTo(6);
        assertThat(running.getStatus().getCurrentRun().getCheckpoint()).containsEntry("tieBreaker", lastCommitted);
        assertThat(running.getStatus().getCurrentRun().getRowsPerSecond()).isPositive();
        assertThat(wide.lines().findFirst().orElseThrow()).endsWith("PROGRESS");
        assertThat(wide).contains("6 read, 6 written, 3 batches, ");
        assertThat(done.getStatus().getCurrentRun()).isNull();
        assertThat(done.getStatus().getLastRun().getRowsRead()).isEqualTo(FILMS);
    }

    private static final long PROGRESS_GATE = 9191;

    @Test
    void suspendPausesOnABatchBoundaryAndIsPausedOnlyOnceNoPodIsLeftThenResumeCompletes() throws Exception {
        namespace = OPERATOR.namespace("pause", FILMS);
        namespace.database().logTargetWrites();
        namespace.database().slowTargetWrites(150);
        namespace.apply(DemoPipelines.filmDim("pausable").incremental("modified", "id").batchSize(2).runRequest("r-1").yaml());
        awaitBatchesCommitted("pausable", 2);

        namespace.patchSpec("pausable", "{\"suspend\": true}");
        EtlPipeline paused = namespace.awaitPhase("pausable", Phase.Paused);

        assertThat(namespace.runnerPods("pausable")).as("no runner pod left when Paused shows")
                .allMatch(p -> "Failed".equals(p.getStatus().getPhase()) || "Succeeded".equals(p.getStatus().getPhase()));
        long committed = namespace.count("SELECT count(*) FROM analytics.film_dim");
        assertThat(committed).as("whole batches only").isEven().isLessThan(FILMS);
        assertThat(namespace.database().text("SELECT status FROM etl.pipeline_run ORDER BY id DESC LIMIT 1")).isEqualTo("PAUSED");
        assertThat(paused.getStatus().getCurrentRun()).as("the run is paused, not finished").isNotNull();
        assertThat(paused.getStatus().getHandledRunRequest()).as("the run requested has not ended").isNull();
        assertThat(paused.getStatus().getConditions())
                .anySatisfy(c -> assertThat(List.of(c.getType(), c.getStatus(), c.getReason())).containsExactly("Reconciling", "False", "Paused"))
                .anySatisfy(c -> assertThat(List.of(c.getType(), c.getStatus())).containsExactly("Suspended", "True"));
        await("an Event says the run paused").atMost(Duration.ofSeconds(30)).until(() -> events("pausable").anyMatch(e -> "Paused".equals(e.getReason())));

        namespace.patchSpec("pausable", "{\"suspend\": false}");
        EtlPipeline resumed = namespace.awaitRunsFinished("pausable", 1);

        assertThat(resumed.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(resumed.getStatus().getHandledRunRequest()).isEqualTo("r-1");
        assertThat(resumed.getStatus().getLastRun().getRowsRead()).as("the run's rows, before and after the pause").isEqualTo(FILMS)
                .isEqualTo(namespace.count("SELECT sum(rows_read) FROM etl.pipeline_run WHERE run_id = '" + resumed.getStatus().getLastRun().getRunId() + "'"));
        assertThat(namespace.count("SELECT count(*) FROM etl.pipeline_run WHERE run_id = '" + resumed.getStatus().getLastRun().getRunId() + "'"))
                .as("a row per attempt").isEqualTo(2);
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(namespace.count("SELECT count(*) FROM analytics.write_log")).as("every film written once").isEqualTo(FILMS);
        List<AuditLog.Request> requests = cluster.plane().auditLog().requestsOf(OperatorRelease.SERVICE_ACCOUNT, OPERATOR.release().installing());
        assertThat(requests).anySatisfy(r -> assertThat(r.verb()).isEqualTo("patch"));
        assertThat(AuditLog.deniedForGood(requests)).as("requests of the operator that RBAC denied").isEmpty();
    }

    /**
     * A second writer changes the pipeline's status while the operator works out its next one: the
     * operator's pass is held where it reads the run's progress (the runner pod's log, held at the
     * kubelet), the record of the current run is removed from status under it (as a status lost
     * would be), and the run goes on. The pass's write is refused and worked out again from the
     * newer status, which adopts the run's Job, without an error in the operator's log; the run is
     * recorded and announced once.
     */
    @Test
    void aStatusChangedUnderAPassIsWorkedOutAgainQuietlyAndTheRunIsCountedOnce() throws Exception {
        namespace = OPERATOR.namespace("conflict", FILMS);
        namespace.database().stallTargetWriteOf(namespace.database().text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1"),
                CONFLICT_GATE);
        Pod operator = OPERATOR.release().operatorPods(namespace.client()).get(0);
        int operatorLogBefore = cluster.kubelet().logs(OperatorRelease.NAMESPACE, operator.getMetadata().getName()).length();
        Instant since = Instant.now();
        try (Gate gate = namespace.database().closedGate(CONFLICT_GATE)) {
            namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(2).runRequest("r-1").yaml());
            await("three batches committed and shown in status").atMost(PipelineNamespace.RUN_TIMEOUT)
                    .until(() -> status("film-dim", s -> s.getCurrentRun() == null ? null : s.getCurrentRun().getBatches()), Long.valueOf(3)::equals);
            Pod runner = namespace.runnerPods("film-dim").get(0);
            try (LogHold hold = cluster.kubelet().holdLogs(namespace.name(), runner.getMetadata().getName())) {
                await("the operator's next pass reading the run's progress").atMost(Duration.ofMinutes(1)).until(() -> hold.waiting() > 0);
                cluster.kubectl().run("patch", "etlp", "film-dim", "-n", namespace.name(), "--subresource=status", "--type=json",
                        "-p", "[{\"op\": \"remove\", \"path\": \"/status/currentRun\"}]");
                gate.open();
                await("the runner's log reporting more than the held pass saw").atMost(Duration.ofSeconds(30))
                        .until(() -> RunnerProgress.lastIn(cluster.kubelet().logs(namespace.name(), runner.getMetadata().getName()))
                                .map(RunnerProgress::batches).orElse(0L), batches -> batches > 3);
            }
        }
        EtlPipeline done = namespace.awaitRunsFinished("film-dim", 1);

        assertThat(cluster.plane().auditLog().requestsOf(OperatorRelease.SERVICE_ACCOUNT, since))
                .as("the held pass's status write, refused: the status had changed under it")
                .anyMatch(r -> r.uri().contains("/namespaces/" + namespace.name() + "/etlpipelines/film-dim/status") && r.code() >= 400);
        String operatorLog = cluster.kubelet().logs(OperatorRelease.NAMESPACE, operator.getMetadata().getName()).substring(operatorLogBefore);
        assertThat(operatorLog.lines()).as("the operator's log meanwhile: no error, no stack trace")
                .noneMatch(line -> line.contains(" ERROR ") || line.startsWith("\tat ") || line.contains("Exception"));
        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(done.getStatus().getLastRun().getRowsRead()).isEqualTo(FILMS)
                .isEqualTo(namespace.count("SELECT sum(rows_read) FROM etl.pipeline_run"));
        assertThat(done.getStatus().getRunCount()).isEqualTo(1L);
        assertThat(events("film-dim").filter(e -> "RunFinished".equals(e.getReason()))).as("one run, announced once").hasSize(1);
    }

    private static final long CONFLICT_GATE = 9292;

    @Test
    void aRunnerPodDeletedMidRunIsReplacedAndTheTargetIsExact() throws Exception {
        namespace = OPERATOR.namespace("delete-pod", FILMS);
        namespace.database().logTargetWrites();
        namespace.database().slowTargetWrites(150);
        namespace.apply(DemoPipelines.filmDim("deleted").tieBreaker("id").batchSize(2).runRequest("r-1").yaml());
        Pod first = awaitBatchesCommitted("deleted", 2);

        cluster.kubectl().run("delete", "pod", first.getMetadata().getName(), "-n", namespace.name(), "--wait=false");
        EtlPipeline done = namespace.awaitRunsFinished("deleted", 1);

        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(namespace.runnerPods("deleted")).as("the Job's replacement pod finished the run").singleElement()
                .satisfies(pod -> assertThat(pod.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName()));
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(namespace.count("SELECT count(*) FROM analytics.write_log")).as("every film written once").isEqualTo(FILMS);
        assertThat(namespace.database().strings("SELECT status FROM etl.pipeline_run ORDER BY id")).containsExactly("PAUSED", "SUCCEEDED");
        assertThat(events("deleted").filter(e -> "Warning".equals(e.getType())))
                .as("a deleted pod's replacement, on its way, is no reason to warn").isEmpty();
    }

    @Test
    void aRunnerKilledMidRunIsReplacedAndResumesFromItsCheckpoint() throws Exception {
        namespace = OPERATOR.namespace("kill", FILMS);
        namespace.database().logTargetWrites();
        namespace.database().slowTargetWrites(150);
        namespace.apply(DemoPipelines.filmDim("killed").tieBreaker("id").batchSize(2).runRequest("r-1").yaml());
        Pod first = awaitBatchesCommitted("killed", 2);

        cluster.kubelet().kill(namespace.name(), first.getMetadata().getName());
        // the dead runner's lease would run out by its TTL; the test makes it run out now
        namespace.database().expireLeases();
        EtlPipeline done = namespace.awaitRunsFinished("killed", 1);

        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(namespace.count("SELECT count(*) FROM analytics.write_log")).as("each committed film written once").isEqualTo(FILMS);
        assertThat(done.getStatus().getLastRun().getRowsRead()).as("the run's rows, the killed pod's committed ones too").isEqualTo(FILMS);
    }

    @Test
    void aTargetTableMissingForAWhileIsRetriedWithBackoffUntilTheRunSucceeds() throws Exception {
        namespace = OPERATOR.namespace("retry", FILMS);
        namespace.database().slowTargetWrites(40);
        namespace.apply(DemoPipelines.filmDim("flip").tieBreaker("id").batchSize(2).runRequest("r-1").retry(10, "200ms", "5s").yaml());
        Pod runner = awaitBatchesCommitted("flip", 2);

        namespace.database().execute("ALTER TABLE analytics.film_dim RENAME TO film_dim_away");
        await("three failed attempts").atMost(Duration.ofMinutes(1))
                .until(() -> cluster.kubelet().logs(namespace.name(), runner.getMetadata().getName()).contains("attempt 3 of 10 failed"));
        namespace.database().execute("ALTER TABLE analytics.film_dim_away RENAME TO film_dim");
        EtlPipeline done = namespace.awaitRunsFinished("flip", 1);

        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(cluster.kubelet().logs(namespace.name(), runner.getMetadata().getName()))
                .contains("SQLSTATE 42P01").containsPattern("attempt 1 of 10 failed .*; retrying in \\d+ ms");
    }

    @Test
    void aFailedRunIsStartedAgainUntilRunRetryIsUsedUpThenStalledUntilANewRequest() throws Exception {
        namespace = OPERATOR.namespace("run-retry", FILMS);
        namespace.database().refuseTargetWrites();
        namespace.apply(DemoPipelines.filmDim("flaky").tieBreaker("id").batchSize(5).runRequest("r-1").retry(1, "100ms", "100ms")
                .runRetry(2, "1s", "2s").yaml());

        cluster.kubectl().run("wait", "etlp/flaky", "-n", namespace.name(), "--for=condition=Stalled", "--timeout=3m");
        EtlPipeline stalled = namespace.get("flaky");

        assertThat(stalled.getStatus().getRunCount()).as("the run and its 2 retries").isEqualTo(3);
        assertThat(stalled.getStatus().getFailedAttempts()).isEqualTo(3);
        assertThat(stalled.getStatus().getLastRuns()).extracting(run -> run.getResult()).containsExactly(RunResult.FAILED, RunResult.FAILED, RunResult.FAILED);
        assertThat(stalled.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Stalled")).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("RepeatedFailures"))
                .satisfies(c -> assertThat(c.getMessage()).contains("3 runs in a row FAILED", "spec.runRetry.limit (2) is used up", "the target refuses writes"));
        assertThat(namespace.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'FAILED'")).isEqualTo(3);
        assertThat(events("flaky").filter(e -> "RepeatedFailures".equals(e.getReason()))).isNotEmpty();

        namespace.database().acceptTargetWrites();
        namespace.patchSpec("flaky", "{\"runRequest\": \"r-2\"}");
        EtlPipeline recovered = namespace.awaitRunsFinished("flaky", 4);

        assertThat(recovered.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(recovered.getStatus().getFailedAttempts()).isNull();
        assertThat(recovered.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Stalled")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
    }

    @Test
    void anElasticsearchTargetGetsOneDocumentPerRowWithStableIdsAcrossRuns() throws Exception {
        namespace = OPERATOR.namespace("search", FILMS);
        SearchIndex search = new SearchIndex(SharedElasticsearch.get().url(), "film_dim");
        search.delete();
        namespace.client().secrets().inNamespace(namespace.name()).resource(new SecretBuilder().withNewMetadata().withName("search").endMetadata()
                .withStringData(Map.of("url", SharedElasticsearch.get().url())).build()).create();
        namespace.apply(DemoPipelines.filmDim("film-es").tieBreaker("id").batchSize(5).runRequest("r-1")
                .control("source-db").elasticsearchTarget("film_dim", "film_id").yaml());
        namespace.awaitRunsFinished("film-es", 1);
        List<String> firstIds = search.ids();

        namespace.patchSpec("film-es", "{\"runRequest\": \"r-2\"}");
        EtlPipeline second = namespace.awaitRunsFinished("film-es", 2);

        assertThat(second.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(second.getStatus().getLastRun().getRowsWritten()).isEqualTo(FILMS);
        assertThat(search.count()).as("no duplicated documents").isEqualTo(FILMS);
        assertThat(search.ids()).as("stable _ids: the film ids").containsExactlyInAnyOrderElementsOf(firstIds)
                .containsExactlyInAnyOrderElementsOf(namespace.database().strings("SELECT id::text FROM content.film_work"));
    }

    @Test
    void aForbiddenTargetIsInvalidWithAWarningAndNoJob() throws Exception {
        namespace = OPERATOR.namespace("forbidden", FILMS);
        namespace.database().execute("CREATE TABLE analytics.film_secret (LIKE analytics.film_dim INCLUDING ALL)");
        namespace.apply(DemoPipelines.filmDim("forbidden").tieBreaker("id").batchSize(5).runRequest("r-1").postgres(target -> target.setTable("analytics.film_secret")).yaml());

        EtlPipeline invalid = namespace.awaitPhase("forbidden", Phase.Invalid);

        assertThat(invalid.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(List.of(c.getStatus(), c.getReason())).containsExactly("False", "InvalidSpec"))
                .satisfies(c -> assertThat(c.getMessage()).contains("'analytics.film_secret' is not in the allowlist"));
        await().atMost(Duration.ofSeconds(30)).until(() -> namespace.client().v1().events().inNamespace(namespace.name()).list().getItems()
                .stream().anyMatch(PipelineRunsOnClusterTest::invalidSpecWarning));
        assertThat(namespace.jobs()).isEmpty();
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_secret")).isZero();
    }

    @Test
    void deletingAPipelineRemovesItsJobsAndPodsButKeepsItsRunHistory() throws Exception {
        namespace = OPERATOR.namespace("gc", FILMS);
        namespace.apply(DemoPipelines.filmDim("doomed").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
        namespace.awaitRunsFinished("doomed", 1);
        assertThat(namespace.jobs()).hasSize(1);

        cluster.kubectl().run("delete", "etlp", "doomed", "-n", namespace.name());

        await("the garbage collector removed Job and pods").atMost(Duration.ofMinutes(1))
                .until(() -> namespace.jobs().isEmpty() && namespace.runnerPods("doomed").isEmpty());
        assertThat(namespace.count("SELECT count(*) FROM etl.pipeline_run")).isEqualTo(1);
        assertThat(namespace.count("SELECT count(*) FROM etl.pipeline_state")).isEqualTo(1);

        namespace.apply(DemoPipelines.filmDim("doomed").tieBreaker("id").batchSize(5).runRequest("r-1").yaml());
        EtlPipeline again = namespace.awaitRunsFinished("doomed", 1);
        assertThat(again.getStatus().getLastRun().getJob()).as("a new pipeline counts its runs from 1").isEqualTo("doomed-1");
        assertThat(namespace.database().strings("SELECT run_id FROM etl.pipeline_run ORDER BY id")).as("but its run ids are new")
                .hasSize(2).doesNotHaveDuplicates().last().isEqualTo(again.getStatus().getLastRun().getRunId());
    }

    @Test
    void aTickMissedWhileSuspendedPastItsStartingDeadlineIsSkippedWithAWarningAndStartsNoRun() throws Exception {
        namespace = OPERATOR.namespace("deadline", FILMS);
        namespace.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(5).schedule("* * * * *").startingDeadlineSeconds(1)
                .suspend(true).yaml());
        Instant tick = Instant.parse(await("the next tick in status").atMost(PipelineNamespace.RUN_TIMEOUT)
                .until(() -> status("film-dim", EtlPipelineStatus::getNextScheduledTime), Objects::nonNull));
        await("the tick and its deadline passed").atMost(Duration.ofMinutes(2)).until(() -> Instant.now().isAfter(tick.plusSeconds(2)));

        namespace.patchSpec("film-dim", "{\"suspend\": false}");

        String skipped = await("the tick recorded as handled").atMost(PipelineNamespace.RUN_TIMEOUT)
                .until(() -> status("film-dim", EtlPipelineStatus::getLastScheduledTime), Objects::nonNull);
        EtlPipeline pipeline = namespace.get("film-dim");
        assertThat(pipeline.getStatus().getRunCount()).as("no run for a late tick").isNull();
        assertThat(namespace.jobs()).isEmpty();
        await("a MissedSchedule warning").atMost(Duration.ofSeconds(30)).until(() -> events("film-dim")
                .anyMatch(e -> "Warning".equals(e.getType()) && "MissedSchedule".equals(e.getReason()) && e.getMessage().contains(skipped)));
    }

    @Test
    void aScheduleIsReadInItsTimeZoneAndAZoneThatDoesNotExistIsInvalid() throws Exception {
        namespace = OPERATOR.namespace("zone", FILMS);
        namespace.apply(DemoPipelines.filmDim("kolkata").tieBreaker("id").schedule("0 2 * * *").timeZone("Asia/Kolkata").yaml());
        namespace.apply(DemoPipelines.filmDim("mars").tieBreaker("id").schedule("0 2 * * *").timeZone("Mars/Olympus_Mons").yaml());

        String next = await("the next tick in status").atMost(PipelineNamespace.RUN_TIMEOUT)
                .until(() -> status("kolkata", EtlPipelineStatus::getNextScheduledTime), Objects::nonNull);
        assertThat(next).as("02:00 in India (UTC+05:30) is 20:30 UTC").endsWith("T20:30:00Z");
        EtlPipeline invalid = namespace.awaitPhase("mars", Phase.Invalid);
        assertThat(invalid.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("spec.timeZone", "'Mars/Olympus_Mons' is not an IANA time zone"));
        assertThat(invalid.getStatus().getNextScheduledTime()).isNull();
    }

    /** A field of the pipeline's status, or null while it has none. */
    private <T> T status(String pipeline, Function<EtlPipelineStatus, T> field) {
        return Optional.ofNullable(namespace.get(pipeline).getStatus()).map(field).orElse(null);
    }

    /** The run's runner pod, once it has committed {@code batches} batches. */
    private Pod awaitBatchesCommitted(String pipeline, int batches) {
        String key = namespace.name() + "/" + pipeline;
        await("batches committed by " + key).atMost(PipelineNamespace.RUN_TIMEOUT)
                .until(() -> namespace.database().runningBatches(key) >= batches);
        return namespace.runnerPods(pipeline).stream().filter(p -> "Running".equals(p.getStatus().getPhase())).findFirst().orElseThrow();
    }

    private Stream<Event> events(String pipeline) {
        return namespace.client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(e -> pipeline.equals(e.getInvolvedObject().getName()) && "EtlPipeline".equals(e.getInvolvedObject().getKind()));
    }

    private static boolean invalidSpecWarning(Event event) {
        return "Warning".equals(event.getType()) && "InvalidSpec".equals(event.getReason());
    }
}
