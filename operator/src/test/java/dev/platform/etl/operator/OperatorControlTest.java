package dev.platform.etl.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.support.OperatorFixture;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.postgres.Gate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's control paths end to end: suspend and resume, requests during a run and an
 * operator restart, forbidden targets, and a runner killed mid-run.
 */
class OperatorControlTest {
    private static final int FILMS = 24;

    @TempDir
    Path dir;

    private OperatorFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aForbiddenTargetIsInvalidWithAWarningAndNoJobThenAFixBringsItBack() throws Exception {
        fixture = OperatorFixture.start(dir, FILMS);
        fixture.execute("CREATE TABLE analytics.film_secret (LIKE analytics.film_dim INCLUDING ALL)");
        fixture.apply(DemoPipelines.filmDim("forbidden").tieBreaker("id").batchSize(5).runRequest("r-1").postgres(target -> target.setTable("analytics.film_secret")).yaml());

        EtlPipeline invalid = fixture.awaitPhase("forbidden", Phase.Invalid);

        for (String type : new String[] {"Ready", "Stalled"}) {
            Condition condition = invalid.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
            assertThat(condition.getStatus()).isEqualTo(type.equals("Ready") ? "False" : "True");
            assertThat(condition.getReason()).isEqualTo("InvalidSpec");
            assertThat(condition.getMessage()).contains("spec.target.postgres.table: 'analytics.film_secret' is not in the allowlist");
            assertThat(condition.getObservedGeneration()).isEqualTo(invalid.getMetadata().getGeneration());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> warnings("forbidden").stream().anyMatch(e -> e.getReason().equals("InvalidSpec")));
        assertThat(fixture.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).list().getItems()).isEmpty();
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_secret")).isZero();
        assertThat(fixture.text("SELECT to_regclass('etl.pipeline_run')::text")).isNull();

        fixture.patchSpec("forbidden", "{\"target\": {\"postgres\": {\"table\": \"analytics.film_dim\"}}}");
        EtlPipeline fixed = fixture.awaitRunsFinished("forbidden", 1);

        assertThat(fixed.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
        assertThat(fixed.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(fixed.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Stalled")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
    }

    @Test
    void suspendPausesTheRunAfterItsBatchInFlightAndResumeCompletesIt() throws Exception {
        fixture = OperatorFixture.start(dir, FILMS);
        EtlPipeline paused;
        try (Gate gate = fixture.stallWriteOfFilmAt(6, "modified, id")) {
            fixture.apply(DemoPipelines.filmDim("pausable").incremental("modified", "id").batchSize(2).runRequest("r-1").yaml());
            OperatorFixture.awaitStalledWrite(gate);
            fixture.patchSpec("pausable", "{\"suspend\": true}");
            await("the runner got SIGTERM").atMost(OperatorFixture.RUN_TIMEOUT)
                    .until(() -> Files.exists(dir.resolve("pausable-1-1.err"))
                            && Files.readString(dir.resolve("pausable-1-1.err")).contains("SIGTERM: pausing after the batch in flight"));
            gate.open();
            paused = fixture.awaitPhase("pausable", Phase.Paused);
        }

        long committed = fixture.count("SELECT count(*) FROM analytics.film_dim");
        assertThat(committed).as("up to the batch in flight at SIGTERM, whole").isEqualTo(8);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
        assertThat(fixture.text("SELECT status FROM etl.pipeline_run ORDER BY id DESC LIMIT 1")).isEqualTo("PAUSED");
        assertThat(paused.getStatus().getCurrentRun()).isNotNull();
        assertThat(paused.getStatus().getConditions()).as("a paused run is not in progress")
                .anySatisfy(c -> assertThat(List.of(c.getType(), c.getStatus(), c.getReason())).containsExactly("Reconciling", "False", "Paused"))
                .anySatisfy(c -> assertThat(List.of(c.getType(), c.getStatus())).containsExactly("Suspended", "True"));
        await("an Event says it paused").atMost(Duration.ofSeconds(30))
                .until(() -> events("pausable").stream().anyMatch(e -> e.getReason().equals("Paused")));
        assertThat(paused.getStatus().getHandledRunRequest()).as("the run it requested has not ended").isNull();

        fixture.patchSpec("pausable", "{\"suspend\": false}");
        EtlPipeline done = fixture.awaitPhase("pausable", Phase.Succeeded);

        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(done.getStatus().getLastRun().getRowsRead()).as("the run's rows, before and after the pause").isEqualTo(FILMS);
        assertThat(fixture.metrics()).as("the metrics agree with etl.pipeline_run")
                .contains("etl_pipeline_rows_read_total{namespace=\"etl-test\",pipeline=\"pausable\"} "
                        + (double) fixture.count("SELECT sum(rows_read) FROM etl.pipeline_run"))
                .contains("etl_pipeline_runs_total{namespace=\"etl-test\",pipeline=\"pausable\",result=\"SUCCEEDED\"} "
                        + (double) fixture.count("SELECT count(DISTINCT run_id) FROM etl.pipeline_run WHERE status = 'SUCCEEDED'"));
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).as("each row written once").isEqualTo(FILMS);
        assertThat(fixture.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void requestsDuringARunAndAnOperatorRestartGiveOneRunAtATimeWithoutADuplicateJob() throws Exception {
        fixture = OperatorFixture.start(dir, FILMS);
        EtlPipeline done;
        try (Gate gate = fixture.stallWriteOfFilmAt(5, "id")) {
            fixture.apply(DemoPipelines.filmDim("busy").tieBreaker("id").batchSize(4).runRequest("r-1").yaml());
            OperatorFixture.awaitStalledWrite(gate);
            fixture.patchSpec("busy", "{\"runRequest\": \"r-2\"}");
            fixture.stopOperator();
            fixture.patchSpec("busy", "{\"runRequest\": \"r-3\"}");
            fixture.startOperator();
            gate.open();
            done = fixture.awaitRunsFinished("busy", 2);
        }

        assertThat(done.getStatus().getHandledRunRequest()).isEqualTo("r-3");
        assertThat(done.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(fixture.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).list().getItems())
                .extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrder("busy-1", "busy-2");
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'SUCCEEDED'")).isEqualTo(2);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'SKIPPED'")).as("never two at once").isZero();
        assertThat(fixture.text("""
                SELECT bool_and(b.started_at >= a.finished_at)::text FROM etl.pipeline_run a JOIN etl.pipeline_run b ON b.id > a.id"""))
                .as("the second run started after the first ended").isEqualTo("true");
    }

    @Test
    void aRunnerKilledMidRunIsReplacedByTheJobsNextPodAndTheRunEndsExactly() throws Exception {
        fixture = OperatorFixture.start(dir, FILMS);
        EtlPipeline done;
        try (Gate gate = fixture.stallWriteOfFilmAt(6, "id")) {
            fixture.apply(DemoPipelines.filmDim("crashy").tieBreaker("id").batchSize(2).runRequest("r-1").yaml());
            OperatorFixture.awaitStalledWrite(gate);
            fixture.executor().killPod("crashy-1");
            // the dead runner's lease would run out by its TTL; the test makes it run out now
            fixture.expireLeases();
            gate.open();
            done = fixture.awaitRunsFinished("crashy", 1);
        }

        assertThat(done.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
        // the killed pod, and the one that replaced it
        assertThat(fixture.executor().attempts("crashy-1")).isGreaterThanOrEqualTo(2);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.write_log")).as("each row committed once").isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'ABANDONED'")).isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
    }

    private List<Event> warnings(String pipeline) {
        return events(pipeline).stream().filter(e -> "Warning".equals(e.getType())).toList();
    }

    private List<Event> events(String pipeline) {
        return fixture.client().v1().events().inNamespace(OperatorFixture.NAMESPACE).list().getItems().stream()
                .filter(e -> pipeline.equals(e.getInvolvedObject().getName()))
                .toList();
    }
}
