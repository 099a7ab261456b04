package dev.platform.etl.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.platform.etl.runner.support.TestPipelines.filmIndex;

import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.RunnerProcess;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.postgres.Gate;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Elasticsearch unreachable, or stopped and started again mid-run: retried with growing delays, and the exact document set at the end. */
class ElasticsearchOutageTest {
    private static final long READ_GATE = 7171;

    private final String elasticsearch = SharedElasticsearch.get().url();

    @TempDir
    Path dir;

    @Test
    void anUnreachableElasticsearchIsRetriedWithGrowingDelaysThenFails() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 5);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        fixture.allowElasticsearch("http://127.0.0.1:" + closedPort, "films_nowhere");
        Path pipeline = fixture.writePipeline(filmIndex("es", "films_nowhere").batchSize(2).retry(4, "100ms", "1s"));

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
        Path pipeline = fixture.writePipeline(filmIndex("es", index.name()).batchSize(2).tieBreaker("id")
                .query(RunnerFixture.GATED_FILM_QUERY)
                .retry(30, "500ms", "3s"));

        RunnerProcess runner;
        try (Gate gate = fixture.closedGate(READ_GATE)) {
            runner = fixture.startProcess(pipeline, Jvm.SMALL);
            RunnerProcess started = runner;
            started.awaitReached("four batches written, the fifth waiting to be read",
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
        assertThat(index.seqNos().keySet()).isEqualTo(new HashSet<>(fixture.strings("SELECT id::text FROM content.film_work")));
    }

    private static void gateReaderAt(RunnerFixture fixture, String filmId, String condition) throws Exception {
        fixture.gateReaderAt(filmId, condition, READ_GATE);
    }

    private static List<Long> retryDelays(String stderr, int maxAttempts) {
        Matcher m = Pattern.compile("attempt \\d+ of " + maxAttempts + " failed \\(.*\\); retrying in (\\d+) ms").matcher(stderr);
        List<Long> delays = new ArrayList<>();
        while (m.find()) {
            delays.add(Long.parseLong(m.group(1)));
        }
        return delays;
    }
}
