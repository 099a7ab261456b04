package dev.platform.etl.runner.source;

import static dev.platform.etl.runner.support.TestPipelines.FILM_QUERY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunnerFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a large table the incremental page is an index range scan, so a run with no change stays cheap. */
class KeysetQueryPlanTest {
    private static final int FILMS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void theIncrementalPageUsesTheIndexOnCursorAndTieBreaker() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.execute("ANALYZE content.film_work");
        String lastId = fixture.text("SELECT id::text FROM content.film_work ORDER BY modified DESC, id DESC LIMIT 1");
        String lastModified = fixture.text("SELECT to_char(max(modified) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM content.film_work");

        String page = ReaderQuery.page(FILM_QUERY, List.of("modified", "id"), true, true, false);
        StringBuilder plan = new StringBuilder();
        try (Connection connection = fixture.connect();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN " + page)) {
            explain.setObject(1, lastModified, Types.OTHER);
            explain.setObject(2, lastId, Types.OTHER);
            explain.setObject(3, OffsetDateTime.now());
            explain.setInt(4, 500);
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }

        assertThat(plan.toString()).contains("Index Scan using film_work_modified_id on film_work").doesNotContain("Seq Scan");
    }
}
