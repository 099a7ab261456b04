package dev.platform.etl.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.events.PipelineEvents;
import dev.platform.etl.operator.metrics.PipelineMetrics;
import dev.platform.etl.operator.observe.JobState;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunnerSummary;
import dev.platform.etl.operator.support.MockCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Recording a run's end is idempotent by run id: a pass whose status patch failed runs again from
 * the status before it, and closes the same run again. It must not be counted, nor announced, twice.
 */
class StatusWriterTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void aRunClosedAgainFromAStaleStatusIsCountedAndAnnouncedOnce() throws Exception {
        try (MockCluster cluster = new MockCluster(); KubernetesClient client = cluster.newClient()) {
            StatusWriter writer = new StatusWriter(new PipelineEvents(client), new PipelineMetrics(registry));
            EtlPipeline stale = pipelineRunning();
            RunObservation finished = new RunObservation(JobState.SUCCEEDED, Optional.of(new RunnerSummary("ns/p", "p-1-0b0e3f0c", null,
                    RunResult.SUCCEEDED, 500, 500, 5, Map.of(), null)), Map.of(), null, 1, null);

            for (int pass = 0; pass < 2; pass++) {
                EtlPipeline pipeline = JSON.readValue(JSON.writeValueAsString(stale), EtlPipeline.class);
                writer.closeRun(pipeline, finished, NOW);
                writer.settle(pipeline, List.of(), RunObservation.missing(), Optional.empty(), Optional.empty(), NOW);
                assertThat(pipeline.getStatus().getTotals().runs(RunResult.SUCCEEDED)).isEqualTo(1);
                assertThat(pipeline.getStatus().getHandledRunRequest()).isEqualTo("r-1");
                assertThat(pipeline.getStatus().getLastRuns()).singleElement().satisfies(run -> assertThat(run.getRunId()).isEqualTo("p-1-0b0e3f0c"));
            }

            assertThat(registry.scrape())
                    .contains("etl_pipeline_runs_total{namespace=\"ns\",pipeline=\"p\",result=\"SUCCEEDED\"} 1.0")
                    .contains("etl_pipeline_rows_read_total{namespace=\"ns\",pipeline=\"p\"} 500.0")
                    .contains("etl_pipeline_run_duration_seconds_count{namespace=\"ns\",pipeline=\"p\",result=\"SUCCEEDED\"} 1")
                    .contains("etl_pipeline_phase{namespace=\"ns\",phase=\"Succeeded\",pipeline=\"p\"} 1.0")
                    .contains("etl_pipeline_last_success_timestamp_seconds{namespace=\"ns\",pipeline=\"p\"} " + (double) NOW.getEpochSecond());
            List<Event> ends = client.v1().events().inNamespace("ns").list().getItems().stream()
                    .filter(e -> "RunFinished".equals(e.getReason())).toList();
            assertThat(ends).hasSize(1);

            writer.forget("ns", "p", "uid-1");
            assertThat(registry.scrape()).doesNotContain("pipeline=\"p\"");
        }
    }

    @Test
    void theRunHistoryKeepsTheNewestRunsFirstUpToItsLength() throws Exception {
        try (MockCluster cluster = new MockCluster(); KubernetesClient client = cluster.newClient()) {
            StatusWriter writer = new StatusWriter(new PipelineEvents(client), new PipelineMetrics(registry));
            EtlPipeline pipeline = pipelineRunning();
            for (long run = 1; run <= StatusWriter.RUN_HISTORY + 2; run++) {
                pipeline.getStatus().setCurrentRun(new CurrentRun(run, "p-" + run, "p-" + run + "-x", null, "schedule", NOW.toString()));
                writer.closeUnstarted(pipeline, "test", NOW);
            }

            assertThat(pipeline.getStatus().getLastRuns()).hasSize(StatusWriter.RUN_HISTORY)
                    .extracting(run -> run.getJob()).startsWith("p-12", "p-11").endsWith("p-3");
            assertThat(pipeline.getStatus().getTotals().runs(RunResult.FAILED)).isEqualTo(StatusWriter.RUN_HISTORY + 2);
        }
    }

    private static EtlPipeline pipelineRunning() {
        EtlPipeline pipeline = new EtlPipeline();
        pipeline.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").withUid("uid-1").withGeneration(1L).build());
        pipeline.setSpec(new EtlPipelineSpec());
        EtlPipelineStatus status = new EtlPipelineStatus();
        status.setCurrentRun(new CurrentRun(1, "p-1", "p-1-0b0e3f0c", "r-1", "runRequest r-1", NOW.minusSeconds(90).toString()));
        status.setRunCount(1L);
        pipeline.setStatus(status);
        return pipeline;
    }
}
