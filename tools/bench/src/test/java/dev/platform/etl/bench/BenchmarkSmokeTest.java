package dev.platform.etl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.testkit.container.Runc;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make bench} with every case, at a size that takes a minute: each case starts from the data
 * it expects whatever ran before it, and the run ends with a result file. Nothing here is timed;
 * the numbers are the bench's, at 1,000,000 rows.
 */
class BenchmarkSmokeTest {
    private static final int ROWS = 2_000;

    @Test
    void everyCaseRunsInOneBenchAndItsResultIsWritten(@TempDir Path results) throws Exception {
        List<String> before = resultFiles();

        Path file = Benchmark.run(new BenchSettings(ROWS, Set.copyOf(BenchSettings.CASES), List.of(500), 1, results));

        JsonNode result = new ObjectMapper().readTree(file.toFile());
        assertThat(result.path("rows").asInt()).isEqualTo(ROWS);
        assertThat(result.fieldNames()).toIterable().contains("postgresToPostgres", "postgresToElasticsearch", "incrementalAfterOneTouch",
                "peakRssMiBWith64MiBHeap", "deleteMissing", "aliasReload", "parallelFullLoad@10000");
        assertThat(result.path("postgresToPostgres").path("runnerRowsPerSecond@500").asDouble()).isPositive();
        assertThat(result.path("postgresToElasticsearch").path("runnerDocsPerSecond@500").asDouble()).isPositive();
        assertThat(result.path("incrementalAfterOneTouch").path("rowsRead").asInt()).as("one touched row read").isEqualTo(1);
        JsonNode deletes = result.path("deleteMissing");
        assertThat(deletes.path("targetRowsAfter").asInt()).as("the mirror left the source's rows")
                .isEqualTo(ROWS - deletes.path("sourceRowsDeleted").asInt());
        assertThat(result.path("parallelFullLoad@10000").path("rowsPerSecond@4").asDouble()).as("4 ranges read every row").isPositive();
        if (Runc.usable() && Files.isRegularFile(SharedCluster.imageTar("etl-runner"))) {
            assertThat(result.path("startToFirstBatch").path("container").path("firstBatchSeconds").asDouble()).isPositive();
        }
        assertThat(resultFiles()).as("a run into another folder leaves tools/bench/results alone").isEqualTo(before);
    }

    private static List<String> resultFiles() throws Exception {
        try (Stream<Path> files = Files.list(RepositoryRoot.find().resolve(BenchSettings.RESULTS))) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
