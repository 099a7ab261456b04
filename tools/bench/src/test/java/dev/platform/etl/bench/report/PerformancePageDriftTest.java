package dev.platform.etl.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.testkit.kube.RepositoryRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/performance.md's tables and charts are those of the newest results in tools/bench/results/:
 * a new result, or a change to how the page draws them, fails this test until {@code make docs}
 * (or {@code make bench}, which writes the page after each run) regenerates them.
 */
class PerformancePageDriftTest {
    private static final Path ROOT = RepositoryRoot.find();

    @Test
    void thePerformancePageAndItsChartsAreThoseOfTheNewestResults() throws Exception {
        if (Boolean.getBoolean("docs.write")) {
            PerformancePage.write(ROOT);
        }
        for (Map.Entry<Path, String> file : PerformancePage.render(ROOT).entrySet()) {
            Path written = ROOT.resolve(file.getKey());
            assertThat(written).as("run make docs to write " + file.getKey()).exists();
            assertThat(Files.readString(written)).as(file.getKey() + " is out of date: run make docs").isEqualTo(file.getValue());
        }
    }

    @Test
    void theChartsAreTheSameBytesEachTimeTheyAreDrawn() {
        assertThat(PerformancePage.render(ROOT)).isEqualTo(PerformancePage.render(ROOT));
    }
}
