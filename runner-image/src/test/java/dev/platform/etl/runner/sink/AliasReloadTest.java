package dev.platform.etl.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.platform.etl.runner.support.TestPipelines.filmIndex;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.postgres.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full reload behind an alias: readers see the previous load or the new one, whole; a paused reload moves nothing. */
class AliasReloadTest {
    private static final long READ_GATE = 7171;

    private final String elasticsearch = SharedElasticsearch.get().url();

    @TempDir
    Path dir;

    @Test
    void aFullReloadBehindAnAliasIsSeenWholeOrNotAtAllAndAPausedOneLeavesTheAliasWhereItWas() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        SearchIndex alias = fixture.withElasticsearch(elasticsearch, "films_live");
        gateReaderAt(fixture, fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 7 LIMIT 1"), "true");
        Path pipeline = fixture.writePipeline(filmIndex("live", alias.name()).batchSize(3).tieBreaker("id")
                .query(RunnerFixture.GATED_FILM_QUERY)
                .alias(alias.name()));
        assertThat(fixture.run(pipeline).result()).isEqualTo("SUCCEEDED");
        List<String> firstLoad = alias.indicesBehind();
        fixture.execute("DELETE FROM content.film_work WHERE id IN (SELECT id FROM content.film_work ORDER BY id LIMIT 1) "
                + "OR id IN (SELECT id FROM content.film_work ORDER BY id DESC LIMIT 1)");

        RunOutput paused;
        try (Gate gate = fixture.closedGate(READ_GATE)) {
            CompletableFuture<RunOutput> running = CompletableFuture.supplyAsync(() -> fixture.run(pipeline));
            await("the reload stalled in its third batch").atMost(Duration.ofMinutes(2)).until(gate::hasWaiter);
            assertThat(alias.count()).as("mid-reload, the alias still shows the whole previous load").isEqualTo(12);
            assertThat(fixture.cli("pause", "--pipeline", "etl-test/live", "--control-db", fixture.controlDbUrl()).exitCode()).isZero();
            gate.open();
            paused = running.get(1, TimeUnit.MINUTES);
        }
        assertThat(paused.result()).isEqualTo("PAUSED");
        assertThat(alias.indicesBehind()).as("a paused reload leaves the alias where it was").isEqualTo(firstLoad);
        assertThat(alias.count()).isEqualTo(12);

        assertThat(fixture.cli("resume", "--pipeline", "etl-test/live", "--control-db", fixture.controlDbUrl()).exitCode()).isZero();
        List<Long> seen = new CopyOnWriteArrayList<>();
        ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
        reader.scheduleWithFixedDelay(() -> {
            try {
                seen.add(alias.count());
            } catch (Exception e) {
                seen.add(-1L);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        RunOutput resumed;
        try {
            resumed = fixture.run(pipeline);
        } finally {
            // not shutdownNow: interrupting a count in flight would record a failure that is the test's own
            reader.shutdown();
            reader.awaitTermination(10, TimeUnit.SECONDS);
        }

        assertThat(resumed.result()).as(resumed.stdout()).isEqualTo("SUCCEEDED");
        assertThat(resumed.rowsRead()).as("the resumed reload reads only the rest").isEqualTo(10 - paused.rowsRead());
        assertThat(seen).as("a reader of the alias sees the previous load or the new one, whole").isNotEmpty().containsOnly(12L, 10L);
        assertThat(alias.count()).isEqualTo(10);
        assertThat(alias.indicesBehind()).hasSize(1).doesNotContainAnyElementsOf(firstLoad);
        assertThat(new SearchIndex(elasticsearch, firstLoad.get(0)).exists()).as("the previous load's index is deleted").isFalse();
        assertThat(alias.ids()).containsExactlyInAnyOrderElementsOf(fixture.strings("SELECT id::text FROM content.film_work"));
    }

    private static void gateReaderAt(RunnerFixture fixture, String filmId, String condition) throws Exception {
        fixture.gateReaderAt(filmId, condition, READ_GATE);
    }
}
