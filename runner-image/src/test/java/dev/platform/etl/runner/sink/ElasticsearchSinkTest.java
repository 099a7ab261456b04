package dev.platform.etl.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.PipelineYaml;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.postgres.Gate;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Elasticsearch sink and its allowlist on a real Elasticsearch: idempotent bulk upserts with stable ids. */
class ElasticsearchSinkTest {
    private static final int FILMS = 21;
    private static final String INCREMENTAL = "  incremental: {cursorColumn: modified, tieBreakerColumn: id}\n";
    private static final String RESUMABLE = "  incremental: {tieBreakerColumn: id}\n";

    @TempDir
    Path dir;

    private final String elasticsearch = SharedElasticsearch.get().url();

    @Test
    void aRunnerThatLostItsLeaseWhileStalledNeverReplacesTheDocumentsOfTheRunThatTookOver() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_fenced");
        // the first runner's read of the fourth film, the second batch's first (before its title changes), waits at a gate
        gateReaderAt(fixture, fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 3 LIMIT 1"), "title NOT LIKE '% (newer)'");
        Path pipeline = fixture.writePipeline("fenced", PipelineYaml.filmIndex("fenced", "Full", 3, RESUMABLE,
                GATED_QUERY, index.name()));

        RunnerProcess stalled;
        RunOutput successor;
        try (Gate gate = fixture.closedGate(READ_GATE)) {
            // a heartbeat too rare to notice the lost lease before it writes again
            stalled = fixture.startProcess(pipeline, Jvm.SMALL, "--lease-ttl", "60s", "--heartbeat", "59s");
            RunnerProcess started = stalled;
            awaitWhileRunning(started, "the runner committed its first batch and stalled reading the second",
                    () -> fixture.runningBatches("etl-test/fenced") == 1 && gate.hasWaiter());
            fixture.execute("UPDATE content.film_work SET title = title || ' (newer)'");
            fixture.expireLeases();
            successor = fixture.run(pipeline);
            gate.open();
        }
        RunOutput stalledOutput = stalled.await(Duration.ofMinutes(1));

        assertThat(successor.result()).as(successor.stdout()).isEqualTo("SUCCEEDED");
        assertThat(stalledOutput.message()).as(stalledOutput.stderr()).contains("lost the lease");
        java.util.List<String> ids = fixture.strings("SELECT id::text FROM content.film_work ORDER BY id");
        for (String id : ids.subList(ids.size() - (int) successor.rowsRead(), ids.size())) {
            assertThat(index.source(id).path("title").asText()).as("document %s, written by the run that took over", id).endsWith("(newer)");
        }
    }

    @Test
    void aRowWithoutAnIdFailsItsBatchInsteadOfGettingARandomIdOnEveryReplay() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_null_id");
        String fourth = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 3 LIMIT 1");
        Path pipeline = fixture.writePipeline("es-null", PipelineYaml.filmIndex("es-null", "Full", 3, "  incremental: {tieBreakerColumn: id}\n",
                "SELECT id, NULLIF(id, '" + fourth + "') AS film_id, title FROM content.film_work", index.name())
                .replace("rename: {id: film_id}", "drop: [id]"));

        RunOutput first = fixture.run(pipeline);
        RunOutput replay = fixture.run(pipeline);

        for (RunOutput run : java.util.List.of(first, replay)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
            assertThat(run.message()).contains("row 1 of 3 in the batch has a NULL film_id, a key column");
        }
        assertThat(index.count()).as("the first batch only, and no document without an id").isEqualTo(3);
    }

    @Test
    void runningTheSamePipelineTwiceKeepsOneDocumentPerRowWithItsKeyAsId() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_twice");
        Path pipeline = fixture.writePipeline("es", PipelineYaml.filmIndex("es", "Full", 2, "", PipelineYaml.FILM_QUERY, index.name()));

        RunOutput first = fixture.run(pipeline);
        long bulksAfterFirst = index.bulkOperations();
        RunOutput second = fixture.run(pipeline);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).isZero();
        assertThat(second.rowsWritten()).isEqualTo(FILMS);
        assertThat(index.count()).isEqualTo(FILMS);
        assertThat(index.seqNos().keySet()).hasSize(FILMS)
                .isEqualTo(new java.util.HashSet<>(fixture.strings("SELECT id::text FROM content.film_work")));
        assertThat(bulksAfterFirst).as("one bulk request per batch").isEqualTo(11);
        assertThat(index.bulkOperations()).isEqualTo(22);
        String id = fixture.text("SELECT md5('film-4')::uuid::text");
        assertThat(index.source(id).toString()).isEqualTo(
                "{\"film_id\":\"" + id + "\",\"title\":\"Film #4\",\"description\":\"Deterministic demo film number 4\","
                        + "\"creation_date\":\"1970-01-05\",\"rating\":4.8,\"type\":\"tv_show\","
                        + "\"modified\":\"2024-01-01T00:00:04Z\",\"source_system\":\"films\"}");
    }

    @Test
    void eachValueIsSentWithItsJsonType() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 1);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_typed");
        String query = "SELECT id AS film_id, true AS flag, 9007199254740993::int8 AS big, 12.5000::numeric(12,4) AS price, "
                + "'NaN'::float8 AS ratio, '{\"a\": [1, 2]}'::jsonb AS tags, '[3, 4]'::json AS raw, "
                + "timestamptz '2024-01-01 00:00:00.123456+02' AS at, NULL::text AS nothing FROM content.film_work";
        Path pipeline = fixture.writePipeline("typed", PipelineYaml.filmIndex("typed", "Full", 10, "", query, index.name())
                .replace("rename: {id: film_id}", "set: {source_system: films}"));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String id = fixture.text("SELECT id::text FROM content.film_work");
        assertThat(index.source(id).toString()).isEqualTo("{\"film_id\":\"" + id + "\",\"flag\":true,\"big\":9007199254740993,"
                + "\"price\":12.5,\"ratio\":null,\"tags\":{\"a\":[1,2]},\"raw\":[3,4],"
                + "\"at\":\"2023-12-31T22:00:00.123456Z\",\"nothing\":null,\"source_system\":\"films\"}");
    }

    @Test
    void incrementallyOnlyTheTouchedDocumentChanges() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_incremental");
        Path pipeline = fixture.writePipeline("es", PipelineYaml.filmIndex("es", "Incremental", 4, INCREMENTAL, PipelineYaml.FILM_QUERY, index.name()));
        fixture.run(pipeline);
        Map<String, Long> before = index.seqNos();

        RunOutput unchanged = fixture.run(pipeline);
        String touched;
        try (Connection connection = fixture.connect()) {
            touched = DemoData.touchOne(connection);
        }
        RunOutput afterTouch = fixture.run(pipeline);
        Map<String, Long> after = index.seqNos();

        assertThat(unchanged.rowsRead()).isZero();
        assertThat(unchanged.rowsWritten()).isZero();
        assertThat(afterTouch.rowsRead()).isEqualTo(1);
        assertThat(afterTouch.rowsWritten()).isEqualTo(1);
        Map<String, Long> changed = new HashMap<>(after);
        changed.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        assertThat(changed).containsOnlyKeys(touched);
        assertThat(index.source(touched).path("title").asText()).endsWith("(touched)");
    }

    @Test
    void aStaleReplayLeavesTheNewerDocumentInPlace() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_replay");
        Path pipeline = fixture.writePipeline("es", PipelineYaml.filmIndex("es", "Incremental", 5, INCREMENTAL, PipelineYaml.FILM_QUERY, index.name()));
        fixture.run(pipeline);
        String stale = fixture.text("SELECT checkpoint::text FROM etl.pipeline_state");
        String first = fixture.text("SELECT md5('film-1')::uuid::text");
        fixture.execute("UPDATE content.film_work SET modified = now(), title = 'newer' WHERE id = '" + first + "'");
        fixture.run(pipeline);

        // replay: the old checkpoint comes back, and the old row with it (a late runner, a restored backup)
        fixture.execute("UPDATE etl.pipeline_state SET checkpoint = '" + stale + "'");
        fixture.execute("UPDATE content.film_work SET title = 'older', modified = '2024-12-31T00:00:00Z' WHERE id = '" + first + "'");
        RunOutput replay = fixture.run(pipeline);

        assertThat(replay.exitCode()).as(replay.stderr()).isZero();
        assertThat(replay.rowsRead()).isEqualTo(1);
        assertThat(replay.rowsWritten()).as("the older document was not written").isZero();
        assertThat(index.source(first).path("title").asText()).isEqualTo("newer");
    }

    @Test
    void anUnreachableElasticsearchIsRetriedWithGrowingDelaysThenFails() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 5);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        fixture.allowElasticsearch("http://127.0.0.1:" + closedPort, "films_nowhere");
        Path pipeline = fixture.writePipeline("es", PipelineYaml.filmIndex("es", "Full", 2, "", PipelineYaml.FILM_QUERY, "films_nowhere")
                .replace("maxAttempts: 3", "maxAttempts: 4"));

        RunOutput run = fixture.startProcess(pipeline, Jvm.SMALL).await(Duration.ofMinutes(1));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.result()).isEqualTo("FAILED");
        assertThat(run.stderr()).contains("giving up after 4 attempts");
        assertThat(retryDelays(run.stderr(), 4)).hasSize(3).isSorted().doesNotHaveDuplicates();
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE status = 'FAILED'")).isEqualTo(1);
    }

    @Test
    void elasticsearchStoppedMidRunAndRestartedEndsWithTheExactDocumentSet() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 30);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_restart");
        // reading the ninth film, the fifth batch's first, waits at a gate: Elasticsearch stops while the run stands there
        gateReaderAt(fixture, fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 8 LIMIT 1"), "true");
        Path pipeline = fixture.writePipeline("es", PipelineYaml.filmIndex("es", "Full", 2, RESUMABLE,
                        GATED_QUERY, index.name())
                .replace("retry: {maxAttempts: 3, initialBackoff: 100ms, maxBackoff: 1s}", "retry: {maxAttempts: 30, initialBackoff: 500ms, maxBackoff: 3s}"));

        RunnerProcess runner;
        try (Gate gate = fixture.closedGate(READ_GATE)) {
            runner = fixture.startProcess(pipeline, Jvm.SMALL);
            RunnerProcess started = runner;
            awaitWhileRunning(started, "four batches written, the fifth waiting to be read",
                    () -> fixture.runningBatches("etl-test/es") == 4 && gate.hasWaiter());
            SharedElasticsearch.get().server().stop();
            gate.open();
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> runner.stderrSoFar().contains("attempt 2 of 30 failed"));
        SharedElasticsearch.get().server().startProcess();
        RunOutput run = runner.await(Duration.ofMinutes(3));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.result()).isEqualTo("SUCCEEDED");
        assertThat(index.count()).isEqualTo(30);
        assertThat(index.seqNos().keySet()).isEqualTo(new java.util.HashSet<>(fixture.strings("SELECT id::text FROM content.film_work")));
    }

    @Test
    void aFullReloadBehindAnAliasIsSeenWholeOrNotAtAllAndAPausedOneLeavesTheAliasWhereItWas() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        SearchIndex alias = fixture.withElasticsearch(elasticsearch, "films_live");
        gateReaderAt(fixture, fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 7 LIMIT 1"), "true");
        Path pipeline = fixture.writePipeline("live", PipelineYaml.filmIndex("live", "Full", 3, RESUMABLE, GATED_QUERY, alias.name())
                .replace("index: films_live", "alias: films_live"));
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

    /** Waits for a runner to reach a point; if it ends or never gets there, the failure says what it logged. */
    private static void awaitWhileRunning(RunnerProcess runner, String what, Callable<Boolean> reached) {
        try {
            await(what).atMost(Duration.ofMinutes(2)).failFast("the runner ended", runner::finished).until(reached);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(what + ": not reached; the runner logged:\n" + runner.stderrSoFar(), e);
        }
    }

    private static final long READ_GATE = 7171;
    private static final String GATED_QUERY = PipelineYaml.GATED_FILM_QUERY;

    private static void gateReaderAt(RunnerFixture fixture, String filmId, String condition) throws Exception {
        fixture.gateReaderAt(filmId, condition, READ_GATE);
    }

    @Test
    void aDocumentTheMappingRejectsFailsTheRunNamingItAndKeepsEarlierBatches() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 12);
        SearchIndex index = fixture.withElasticsearch(elasticsearch, "films_mapping");
        String seventh = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 6 LIMIT 1");
        String sixth = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 5 LIMIT 1");
        fixture.execute("UPDATE content.film_work SET description = CASE WHEN id = '" + seventh + "' THEN 'not a date' ELSE '2024-01-01' END");
        Path pipeline = fixture.writePipeline("es", PipelineYaml.filmIndex("es", "Full", 2, RESUMABLE, PipelineYaml.FILM_QUERY, index.name())
                .replace("idColumn: film_id}", "idColumn: film_id, mappings: {properties: {description: {type: date}}}}"));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.message()).contains("document '" + seventh + "' rejected by Elasticsearch").contains("description");
        // the fifth batch may have been sent while the fourth was in flight: the checkpoint still stops before the fourth
        assertThat(run.summary().path("batches").asLong()).isEqualTo(3);
        assertThat(fixture.text("SELECT full_load_checkpoint->>'tieBreaker' FROM etl.pipeline_state")).isEqualTo(sixth);
        assertThat(index.seqNos().keySet()).containsAll(fixture.strings("SELECT id::text FROM content.film_work ORDER BY id LIMIT 6"))
                .doesNotContain(seventh);
    }

    @Test
    void anIndexOutsideTheAllowlistIsInvalidAndNeverCreated() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 5);
        fixture.withElasticsearch(elasticsearch, "films_allowed");
        SearchIndex forbidden = new SearchIndex(elasticsearch, "films_forbidden");
        forbidden.delete();
        Path pipeline = fixture.writePipeline("es", PipelineYaml.filmIndex("es", "Full", 2, "", PipelineYaml.FILM_QUERY, forbidden.name()));

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).contains("spec.target.elasticsearch.index: 'films_forbidden' is not in the allowlist");
        assertThat(forbidden.exists()).isFalse();
    }

    private static java.util.List<Long> retryDelays(String stderr, int maxAttempts) {
        Matcher m = Pattern.compile("attempt \\d+ of " + maxAttempts + " failed \\(.*\\); retrying in (\\d+) ms").matcher(stderr);
        java.util.List<Long> delays = new java.util.ArrayList<>();
        while (m.find()) {
            delays.add(Long.parseLong(m.group(1)));
        }
        return delays;
    }
}
