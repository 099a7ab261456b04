package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.filmIndex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full load split by spec.parallelism: each range is read by a runner of its own, with its own lease and checkpoint. */
class ParallelLoadTest {
    private static final String PIPELINE = "etl-test/parallel";
    private static final String SOURCE_CHECKSUM = """
            SELECT md5(string_agg(id::text || '|' || title, ',' ORDER BY id)) FROM content.film_work""";
    private static final String TARGET_CHECKSUM = """
            SELECT md5(string_agg(film_id::text || '|' || title, ',' ORDER BY film_id)) FROM analytics.film_dim""";
    private static final String BOUNDS = """
            SELECT string_agg(range_index || ':' || coalesce(lower_bound, '-') || '..' || coalesce(upper_bound, '-'), ' '
                              ORDER BY range_index)
              FROM etl.full_load_range WHERE pipeline = 'etl-test/parallel'""";

    @TempDir
    Path dir;

    @Test
    void fourRangesRunAtOnceLoadTheTableExactlyAndCompleteTheLoadOnce() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 1000);
        Path pipeline = fixture.writePipeline(filmDim("parallel").batchSize(50).tieBreaker("id").parallelism(4));

        List<RunOutput> runs = runRanges(fixture, pipeline, "run-1", 4, 0, 1, 2, 3);

        for (RunOutput run : runs) {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.result()).isEqualTo("SUCCEEDED");
            // about a quarter each: the split points are the tie-breaker's quartiles
            assertThat(run.rowsRead()).isBetween(200L, 300L);
        }
        assertThat(runs.stream().mapToLong(RunOutput::rowsRead).sum()).isEqualTo(1000);
        assertThat(runs.get(2).summary().path("range").asText()).isEqualTo("2/4");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(1000);
        assertThat(fixture.text(TARGET_CHECKSUM)).isEqualTo(fixture.text(SOURCE_CHECKSUM));
        assertThat(fixture.count("""
                SELECT sum(rows_written) FROM etl.pipeline_run
                 WHERE run_id = 'run-1' AND pipeline LIKE 'etl-test/parallel#%' AND status = 'SUCCEEDED'""")).isEqualTo(1000);
        assertThat(fixture.strings("SELECT DISTINCT completed_by FROM etl.full_load_range WHERE pipeline = '" + PIPELINE + "'"))
                .containsExactly("run-1");
        assertThat(fixture.count("""
                SELECT count(*) FROM etl.pipeline_state
                 WHERE pipeline LIKE 'etl-test/parallel%' AND (full_load_checkpoint IS NOT NULL OR lease_holder IS NOT NULL)""")).isZero();
    }

    @Test
    void aRangeRunAgainInTheSameRunReadsNothingAndANewRunLoadsAgain() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 200);
        Path pipeline = fixture.writePipeline(filmDim("parallel").batchSize(50).tieBreaker("id").parallelism(2));
        List<RunOutput> first = runRanges(fixture, pipeline, "run-1", 2, 0, 1);

        RunOutput replaced = fixture.run(pipeline, "--range", "1/2", "--run-id", "run-1");
        List<RunOutput> next = runRanges(fixture, pipeline, "run-2", 2, 0, 1);

        assertThat(replaced.exitCode()).as(replaced.stderr()).isZero();
        assertThat(fixture.count("SELECT rows_read FROM etl.pipeline_run WHERE pipeline = '" + PIPELINE + "#1' AND run_id = 'run-1' ORDER BY id DESC LIMIT 1"))
                .as("the range's second pod in run-1 read nothing").isZero();
        assertThat(replaced.rowsRead()).as("its summary counts the range's whole run, its first pod's rows too").isEqualTo(first.get(1).rowsRead());
        assertThat(next.stream().mapToLong(RunOutput::rowsRead).sum()).isEqualTo(200);
        assertThat(fixture.strings("SELECT DISTINCT completed_by FROM etl.full_load_range WHERE pipeline = '" + PIPELINE + "'"))
                .containsExactly("run-2");
    }

    @Test
    void aLoadResumedAfterTheSourceGrewKeepsItsRangesAndEndsExact() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 400);
        Path pipeline = fixture.writePipeline(filmDim("parallel").batchSize(50).tieBreaker("id").parallelism(4));
        runRanges(fixture, pipeline, "run-1", 4, 0, 1);
        String bounds = fixture.text(BOUNDS);

        // new films whose ids sort after every other: they belong to the last range, not read yet
        fixture.execute("""
                INSERT INTO content.film_work (id, title, rating, type, created, modified)
                SELECT ('ffffffff-ffff-4fff-8fff-' || lpad(i::text, 12, '0'))::uuid, 'Late film #' || i, 5.0, 'movie', now(), now()
                  FROM generate_series(1, 100) AS i""");
        List<RunOutput> rest = runRanges(fixture, pipeline, "run-2", 4, 2, 3);

        assertThat(fixture.text(BOUNDS)).isEqualTo(bounds);
        assertThat(rest).allSatisfy(run -> assertThat(run.exitCode()).as(run.stderr()).isZero());
        assertThat(rest.get(1).rowsRead()).isGreaterThanOrEqualTo(100);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).isEqualTo(500);
        assertThat(fixture.text(TARGET_CHECKSUM)).isEqualTo(fixture.text(SOURCE_CHECKSUM));
        assertThat(fixture.strings("SELECT DISTINCT completed_by FROM etl.full_load_range WHERE pipeline = '" + PIPELINE + "'"))
                .containsExactly("run-2");
    }

    @Test
    void threeRangesIntoOneNewElasticsearchIndexGiveOneDocumentPerFilm() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 300);
        SearchIndex index = fixture.withElasticsearch(SharedElasticsearch.get().url(), "films_ranged");
        Path pipeline = fixture.writePipeline(filmIndex("parallel", index.name()).batchSize(20).tieBreaker("id").parallelism(3));

        List<RunOutput> runs = runRanges(fixture, pipeline, "run-1", 3, 0, 1, 2);

        assertThat(runs).allSatisfy(run -> assertThat(run.exitCode()).as(run.stderr()).isZero());
        assertThat(runs.stream().mapToLong(RunOutput::rowsWritten).sum()).isEqualTo(300);
        assertThat(index.ids()).as("the index all three ranges created at once").hasSize(300)
                .containsExactlyInAnyOrderElementsOf(fixture.strings("SELECT id::text FROM content.film_work"));
    }

    @Test
    void anEmptySourceGivesEveryRangeNothingToDo() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        Path pipeline = fixture.writePipeline(filmDim("parallel").batchSize(50).tieBreaker("id").parallelism(3));

        List<RunOutput> runs = runRanges(fixture, pipeline, "run-1", 3, 0, 1, 2);

        assertThat(runs).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.rowsRead()).isZero();
        });
        assertThat(fixture.strings("SELECT DISTINCT completed_by FROM etl.full_load_range WHERE pipeline = '" + PIPELINE + "'"))
                .containsExactly("run-1");
    }

    @Test
    void aRangeThatDoesNotMatchSpecParallelismIsInvalidAndTouchesNothing() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 10);
        Path pipeline = fixture.writePipeline(filmDim("parallel").batchSize(50).tieBreaker("id").parallelism(4));

        RunOutput run = fixture.run(pipeline, "--range", "0/2");
        RunOutput malformed = fixture.run(pipeline, "--range", "4/4");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.summary().path("message").asText()).contains("--range").contains("spec.parallelism splits the load into 4 ranges");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.summary().path("message").asText()).contains("the index must be from 0 to the count less 1");
        assertThat(fixture.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'etl'")).isZero();
    }

    /** Runs the given ranges of one run at the same time, each as its own runner, and returns their outputs in that order. */
    private static List<RunOutput> runRanges(RunnerFixture fixture, Path pipeline, String runId, int count, int... indexes) {
        List<CompletableFuture<RunOutput>> runs = IntStream.of(indexes)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> fixture.run(pipeline, "--range", i + "/" + count, "--run-id", runId)))
                .toList();
        return runs.stream().map(CompletableFuture::join).toList();
    }
}
