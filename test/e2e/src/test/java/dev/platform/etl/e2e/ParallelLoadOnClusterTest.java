package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RangeRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.e2e.support.InstalledOperator;
import dev.platform.etl.e2e.support.PipelineNamespace;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.postgres.Gate;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full load split into four ranges (spec.parallelism: 4) through the real Job controller: an
 * Indexed Job of four runner pods, each with the lease and checkpoint of its range.
 */
class ParallelLoadOnClusterTest {
    /** 24 films a range, written 150 ms a row two by two: each range runs for several seconds. */
    private static final int FILMS = 96;
    private static final String PARALLEL = "  parallelism: 4\n";
    private static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    @RegisterExtension
    static final InstalledOperator OPERATOR = InstalledOperator.withValues(Map.of());
    private final SharedCluster cluster = SharedCluster.get();
    private PipelineNamespace namespace;

    @Test
    void fourRangesLoadTheTableExactlyAndStatusShowsEachRange() throws Exception {
        namespace = OPERATOR.namespace("ranges", FILMS);
        namespace.database().logTargetWrites();
        namespace.apply(DemoPipelines.filmDim("ranged").tieBreaker("id").batchSize(2).runRequest("r-1").parallelism(4).yaml());

        EtlPipeline done = namespace.awaitRunsFinished("ranged", 1);

        assertThat(done.getStatus().getLastRun().getResult()).as(done.getStatus().getLastRun().getMessage()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(done.getStatus().getLastRun().getRowsRead()).isEqualTo(FILMS);
        assertThat(done.getStatus().getLastRun().getRanges()).extracting(RangeRun::getIndex).containsExactly(0, 1, 2, 3);
        assertThat(done.getStatus().getLastRun().getRanges()).allSatisfy(range -> {
            assertThat(range.getResult()).isEqualTo(RunResult.SUCCEEDED);
            assertThat(range.getRowsRead()).as("a quarter of the films, give or take").isBetween(12L, 36L);
        });
        assertThat(namespace.jobs()).singleElement().satisfies(job -> {
            assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
            assertThat(job.getStatus().getSucceeded()).isEqualTo(4);
        });
        assertExact();
        assertThat(namespace.database().strings("SELECT pipeline || ' ' || status FROM etl.pipeline_run ORDER BY pipeline"))
                .containsExactly(IntStream.range(0, 4).mapToObj(i -> namespace.name() + "/ranged#" + i + " SUCCEEDED").toArray(String[]::new));
    }

    @Test
    void aRangesPodDeletedMidRunIsReplacedAndResumesOnlyItsOwnRange() throws Exception {
        startSlowRangedLoad("range-pod");
        Pod deleted = awaitBatchesCommitted("ranged", 1, 2);

        cluster.kubectl().run("delete", "pod", deleted.getMetadata().getName(), "-n", namespace.name(), "--wait=false");
        EtlPipeline done = namespace.awaitRunsFinished("ranged", 1);

        assertThat(done.getStatus().getLastRun().getResult()).as(done.getStatus().getLastRun().getMessage()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(namespace.runnerPods("ranged")).extracting(pod -> pod.getMetadata().getName())
                .as("a pod of its own for each range, range 1's a replacement").hasSize(4)
                .doesNotContain(deleted.getMetadata().getName());
        assertThat(namespace.database().strings("SELECT status FROM etl.pipeline_run WHERE pipeline LIKE '%#1' ORDER BY id"))
                .containsExactly("PAUSED", "SUCCEEDED");
        assertExact();
    }

    @Test
    void suspendPausesEveryRangeOnABatchBoundaryAndResumeCompletesTheLoad() throws Exception {
        startSlowRangedLoad("range-pause");
        awaitBatchesCommitted("ranged", 3, 2);

        namespace.patchSpec("ranged", "{\"suspend\": true}");
        EtlPipeline paused = namespace.awaitPhase("ranged", Phase.Paused);

        assertThat(namespace.runnerPods("ranged")).as("no runner pod left when Paused shows")
                .allMatch(p -> "Failed".equals(p.getStatus().getPhase()) || "Succeeded".equals(p.getStatus().getPhase()));
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).as("whole batches only").isEven().isLessThan(FILMS);
        assertThat(namespace.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'RUNNING'")).isZero();
        assertThat(paused.getStatus().getCurrentRun()).as("the run is paused, not finished").isNotNull();

        namespace.patchSpec("ranged", "{\"suspend\": false}");
        EtlPipeline resumed = namespace.awaitRunsFinished("ranged", 1);

        assertThat(resumed.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertExact();
    }

    @Test
    void aLoadResumedAfterTheSourceGrewKeepsItsRangesAndEndsExact() throws Exception {
        namespace = OPERATOR.namespace("range-grow", FILMS);
        namespace.database().logTargetWrites();
        // a film of the last range (its quarter of the ids), several batches before that range's end: the
        // range stalls there until its runner has SIGTERM, so that it is still unfinished when the load pauses
        namespace.database().stallTargetWriteOf(namespace.database().text(
                "SELECT id::text FROM content.film_work ORDER BY id OFFSET " + (FILMS * 3 / 4 + 5) + " LIMIT 1"), LAST_RANGE_GATE);
        try (Gate gate = namespace.database().closedGate(LAST_RANGE_GATE)) {
            namespace.apply(DemoPipelines.filmDim("ranged").tieBreaker("id").batchSize(2).runRequest("r-1").parallelism(4).yaml());
            Pod lastRange = awaitBatchesCommitted("ranged", 3, 2);
            namespace.patchSpec("ranged", "{\"suspend\": true}");
            await("the last range's runner got SIGTERM").atMost(PipelineNamespace.RUN_TIMEOUT).until(() -> cluster.kubelet()
                    .logs(namespace.name(), lastRange.getMetadata().getName()).contains("SIGTERM: pausing after the batch in flight"));
            gate.open();
        }
        namespace.awaitPhase("ranged", Phase.Paused);
        String ranges = namespace.database().text(RANGES);

        // films whose ids sort after every other: the last range's, which has not finished
        namespace.database().execute("""
                INSERT INTO content.film_work (id, title, rating, type, created, modified)
                SELECT ('ffffffff-ffff-4fff-8fff-' || lpad(i::text, 12, '0'))::uuid, 'Late film #' || i, 5.0, 'movie', now(), now()
                  FROM generate_series(1, 20) AS i""");
        namespace.patchSpec("ranged", "{\"suspend\": false}");
        EtlPipeline resumed = namespace.awaitRunsFinished("ranged", 1);

        assertThat(resumed.getStatus().getLastRun().getResult()).isEqualTo(RunResult.SUCCEEDED);
        assertThat(namespace.database().text(RANGES)).as("the ranges recorded at the run's start").isEqualTo(ranges);
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(FILMS + 20);
        assertExact();
    }

    private static final long LAST_RANGE_GATE = 7373;

    private static final String RANGES = """
            SELECT string_agg(range_index || ':' || coalesce(lower_bound, '-') || '..' || coalesce(upper_bound, '-'), ' '
                              ORDER BY range_index)
              FROM etl.full_load_range""";

    /** A 4-range load in a new namespace, its target writes logged and slowed so that it can be stopped mid-run. */
    private void startSlowRangedLoad(String prefix) throws Exception {
        namespace = OPERATOR.namespace(prefix, FILMS);
        namespace.database().logTargetWrites();
        namespace.database().slowTargetWrites(150);
        namespace.apply(DemoPipelines.filmDim("ranged").tieBreaker("id").batchSize(2).runRequest("r-1").parallelism(4).yaml());
    }

    /** The running pod of range {@code index}, once that range has committed {@code batches} batches. */
    private Pod awaitBatchesCommitted(String pipeline, int index, int batches) {
        String key = namespace.name() + "/" + pipeline + "#" + index;
        await("batches committed by " + key).atMost(PipelineNamespace.RUN_TIMEOUT)
                .until(() -> namespace.database().runningBatches(key) >= batches);
        return namespace.runnerPods(pipeline).stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase()) && String.valueOf(index).equals(p.getMetadata().getAnnotations().get(COMPLETION_INDEX)))
                .findFirst().orElseThrow();
    }

    private void assertExact() throws Exception {
        assertThat(namespace.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(namespace.count("SELECT count(*) FROM content.film_work"));
        assertThat(namespace.count("""
                SELECT count(*) FROM content.film_work f LEFT JOIN analytics.film_dim d ON d.film_id = f.id AND d.title = f.title
                 WHERE d.film_id IS NULL""")).as("films missing or different in the target").isZero();
        assertThat(namespace.count("SELECT count(*) FROM analytics.write_log"))
                .as("every film written once").isEqualTo(namespace.count("SELECT count(*) FROM content.film_work"));
    }
}
