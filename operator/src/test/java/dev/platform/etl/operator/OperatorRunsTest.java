package dev.platform.etl.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.support.OperatorFixture;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.demo.DemoData;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full and incremental runs end to end: runs requested with runRequest, status read like kubectl would. */
class OperatorRunsTest {
    private static final int FILMS = 21;

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
    void aFullPipelineRunsOncePerRunRequestAndReportsItsCounters() throws Exception {
        fixture = OperatorFixture.start(dir, FILMS);
        fixture.apply(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(2).runRequest("r-001").yaml());

        EtlPipeline first = fixture.awaitRunsFinished("film-dim", 1);
        fixture.patchSpec("film-dim", "{\"runRequest\": \"r-002\"}");
        EtlPipeline second = fixture.awaitRunsFinished("film-dim", 2);

        for (EtlPipeline pipeline : List.of(first, second)) {
            assertThat(pipeline.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
            assertThat(pipeline.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
            assertThat(pipeline.getStatus().getLastRun().getRowsRead()).isEqualTo(FILMS);
            assertThat(pipeline.getStatus().getLastRun().getRowsWritten()).isEqualTo(FILMS);
            assertThat(pipeline.getStatus().getLastRun().getBatches()).isEqualTo(11);
        }
        assertThat(second.getStatus().getObservedGeneration()).isEqualTo(second.getMetadata().getGeneration());
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE pipeline = 'etl-test/film-dim' AND status = 'SUCCEEDED'"))
                .isEqualTo(2);
        assertThat(fixture.metrics())
                .contains("etl_pipeline_runs_total{namespace=\"etl-test\",pipeline=\"film-dim\",result=\"SUCCEEDED\"} 2.0")
                .contains("etl_pipeline_rows_written_total{namespace=\"etl-test\",pipeline=\"film-dim\"} 42.0")
                .contains("operator_sdk_reconciliations");
        List<Job> jobs = fixture.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).list().getItems();
        assertThat(jobs).extracting(j -> j.getMetadata().getName()).containsExactlyInAnyOrder("film-dim-1", "film-dim-2");
        assertThat(jobs).allSatisfy(job -> assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> {
                    assertThat(owner.getUid()).isEqualTo(first.getMetadata().getUid());
                    assertThat(owner.getController()).isTrue();
                }));
    }

    @Test
    void anIncrementalPipelineReadsNothingWithoutChangesAndOneRowAfterATouch() throws Exception {
        fixture = OperatorFixture.start(dir, FILMS);
        fixture.apply(DemoPipelines.filmDim("film-dim-inc").incremental("modified", "id").batchSize(5).runRequest("r-1").yaml());
        EtlPipeline first = fixture.awaitRunsFinished("film-dim-inc", 1);

        fixture.patchSpec("film-dim-inc", "{\"runRequest\": \"r-2\"}");
        EtlPipeline unchanged = fixture.awaitRunsFinished("film-dim-inc", 2);
        try (Connection connection = fixture.connect()) {
            DemoData.touchOne(connection);
        }
        fixture.patchSpec("film-dim-inc", "{\"runRequest\": \"r-3\"}");
        EtlPipeline touched = fixture.awaitRunsFinished("film-dim-inc", 3);

        assertThat(first.getStatus().getLastRun().getRowsRead()).isEqualTo(FILMS);
        assertThat(unchanged.getStatus().getLastRun().getRowsRead()).isZero();
        assertThat(unchanged.getStatus().getLastRun().getRowsWritten()).isZero();
        assertThat(unchanged.getStatus().getCheckpoint()).isEqualTo(first.getStatus().getCheckpoint());
        assertThat(touched.getStatus().getLastRun().getRowsRead()).isEqualTo(1);
        assertThat(touched.getStatus().getLastRun().getRowsWritten()).isEqualTo(1);
        assertThat(touched.getStatus().getCheckpoint()).isNotEqualTo(first.getStatus().getCheckpoint());
        assertThat(touched.getStatus().getCheckpoint().get("cursor"))
                .isEqualTo(fixture.text("SELECT checkpoint->>'cursor' FROM etl.pipeline_state WHERE pipeline = 'etl-test/film-dim-inc'"));
        await("only the newest two runs' Jobs are kept").atMost(OperatorFixture.RUN_TIMEOUT)
                .until(() -> fixture.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).list().getItems().stream()
                        .map(job -> job.getMetadata().getName()).sorted().toList(), names -> names.equals(List.of("film-dim-inc-2", "film-dim-inc-3")));
    }
}
