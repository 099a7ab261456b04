package dev.platform.etl.api.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerProgressTest {
    private final RunnerProgress progress = new RunnerProgress(6, 6, 2, Map.of("tieBreaker", "42"), 300, "2026-12-04T08:00:00Z");

    @Test
    void theLastProgressOfATextLogIsRead() {
        String log = "2026-12-04T08:00:00.000+0000 [INFO] CommittedProgress - film-dim: batch 1 committed; "
                + new RunnerProgress(3, 3, 1, Map.of(), 100, "2026-12-04T07:59:59Z").logText() + "\n"
                + "2026-12-04T08:00:00.000+0000 [INFO] CommittedProgress - film-dim: batch 2 committed; " + progress.logText() + "\n"
                + "2026-12-04T08:00:01.000+0000 [WARN] RunCommand - SIGTERM: pausing after the batch in flight\n";

        assertThat(RunnerProgress.lastIn(log)).contains(progress);
    }

    @Test
    void theProgressOfAJsonLogIsReadFromItsFormattedMessage() throws Exception {
        String line = JsonMapper.builder().build().writeValueAsString(Map.of("level", "INFO", "loggerName", "CommittedProgress",
                "formattedMessage", "film-dim: batch 2 committed; " + progress.logText()));

        assertThat(RunnerProgress.lastIn(line + "\n{\"level\":\"WARN\",\"formattedMessage\":\"later\"}\n")).contains(progress);
    }

    @Test
    void aLogWithoutProgressOrWithABrokenLineHasNone() {
        assertThat(RunnerProgress.lastIn("started\nconnected\n")).isEmpty();
        assertThat(RunnerProgress.lastIn("batch 1 committed; " + RunnerProgress.MARKER + "{\"rowsRead\":")).isEmpty();
        assertThat(RunnerProgress.lastIn("{\"formattedMessage\": \"" + RunnerProgress.MARKER + "{\\\"rowsRead\\\": }\"")).isEmpty();
    }
}
