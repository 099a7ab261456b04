package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.elasticsearch.SearchIndex;
import dev.platform.etl.testkit.elasticsearch.SharedElasticsearch;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import dev.platform.etl.testkit.pipeline.PipelineBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code incremental.deletedColumn}: a row deleted in the source (softly) disappears from either kind of target. */
class SoftDeletesTest {
    private static final int FILMS = 9;
    private static final String QUERY = "SELECT id, title, modified, deleted_at, archived FROM content.film_work";

    @TempDir
    Path dir;

    private RunnerFixture fixture;

    @BeforeEach
    void markableFilms() throws Exception {
        fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.execute("ALTER TABLE content.film_work ADD COLUMN deleted_at timestamptz, ADD COLUMN archived boolean NOT NULL DEFAULT false");
    }

    @Test
    void aRowMarkedDeletedIsDeletedFromThePostgresTargetAndTheMarkIsNeverWritten() throws Exception {
        Path pipeline = fixture.writePipeline(softDeletes("soft", "deleted_at", "archived").batchSize(2)
                .postgresTarget("analytics.film_dim", "film_id"));
        RunOutput first = fixture.run(pipeline);
        String gone = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 4 LIMIT 1");
        fixture.execute("UPDATE content.film_work SET deleted_at = now(), modified = now() WHERE id = '" + gone + "'");
        fixture.execute("UPDATE content.film_work SET title = title || ' (new cut)', modified = now() WHERE id <> '" + gone + "' AND id IN "
                + "(SELECT id FROM content.film_work ORDER BY id LIMIT 2)");

        RunOutput second = fixture.run(pipeline);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).as("analytics.film_dim has no deleted_at column: " + second.stderr()).isZero();
        assertThat(second.rowsRead()).isEqualTo(3);
        assertThat(fixture.strings("SELECT film_id::text FROM analytics.film_dim ORDER BY film_id"))
                .isEqualTo(fixture.strings("SELECT id::text FROM content.film_work WHERE deleted_at IS NULL ORDER BY id")).doesNotContain(gone);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim WHERE title LIKE '% (new cut)'")).isEqualTo(2);
    }

    @Test
    void aBooleanMarkDeletesOnlyWhenTrue() throws Exception {
        Path pipeline = fixture.writePipeline(softDeletes("soft", "archived", "deleted_at").batchSize(4)
                .postgresTarget("analytics.film_dim", "film_id"));
        fixture.execute("UPDATE content.film_work SET archived = true WHERE id IN (SELECT id FROM content.film_work ORDER BY id LIMIT 3)");

        RunOutput run = fixture.run(pipeline);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_dim")).as("the archived films never arrive").isEqualTo(FILMS - 3);
    }

    @Test
    void aRowMarkedDeletedLeavesTheIndexAndALateOlderWriteCannotBringItBack() throws Exception {
        SearchIndex index = fixture.withElasticsearch(SharedElasticsearch.get().url(), "films_soft");
        Path pipeline = fixture.writePipeline(softDeletes("soft-es", "deleted_at", "archived").batchSize(2)
                .elasticsearchTarget(index.name(), "film_id"));
        fixture.run(pipeline);
        String gone = fixture.text("SELECT id::text FROM content.film_work ORDER BY id OFFSET 4 LIMIT 1");
        long before = Long.parseLong(fixture.text("SELECT (extract(epoch FROM modified) * 1000000)::bigint FROM content.film_work "
                + "WHERE id = '" + gone + "'"));
        fixture.execute("UPDATE content.film_work SET deleted_at = now(), modified = now() WHERE id = '" + gone + "'");

        RunOutput second = fixture.run(pipeline);

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(index.count()).isEqualTo(FILMS - 1);
        assertThat(index.source(gone).isMissingNode()).isTrue();
        assertThat(index.indexWithVersion(gone, before, "{\"title\": \"a late replay\"}")).as("older than the deletion").isEqualTo(409);
        assertThat(index.count()).isEqualTo(FILMS - 1);
        assertThat(index.source(fixture.text("SELECT id::text FROM content.film_work ORDER BY id LIMIT 1")).has("deleted_at"))
                .as("the mark is not a field of the documents").isFalse();
    }

    /** An incremental read of QUERY whose rows are deleted where {@code deletedColumn} says so; {@code otherColumn} is dropped. */
    private static PipelineBuilder softDeletes(String name, String deletedColumn, String otherColumn) {
        return pipeline(name).incremental("modified", "id").deletedColumn(deletedColumn).query(QUERY)
                .transform(Transform.rename("id", "film_id").andDrop(otherColumn));
    }
}
