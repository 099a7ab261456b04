package dev.platform.etl.runner.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.support.PipelineYaml;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ordinary target tables: identity, serial, generated and defaulted columns, and columns either side lacks. */
class TargetTablesTest {
    private static final int FILMS = 7;

    @TempDir
    Path dir;

    private RunnerFixture fixture;

    @BeforeEach
    void createTarget() throws Exception {
        fixture = RunnerFixture.withFilms(dir, FILMS);
        fixture.environment().put(Allowlist.POSTGRES_TABLES_ENV, "analytics.film_facts");
        fixture.execute("""
                CREATE TABLE analytics.film_facts (
                    sk bigint GENERATED ALWAYS AS IDENTITY,
                    serial_no bigserial,
                    film_id uuid PRIMARY KEY,
                    title text NOT NULL,
                    title_length int GENERATED ALWAYS AS (length(title)) STORED,
                    loaded_at timestamptz NOT NULL DEFAULT now(),
                    note text DEFAULT 'none')""");
    }

    @Test
    void columnsTheRowsLackKeepTheirIdentityGeneratedAndDefaultValuesOnInsertAndUpdate() throws Exception {
        Path pipeline = fixture.writePipeline("facts", PipelineYaml.pipeline("facts", "Full", 3, "",
                "SELECT id AS film_id, title FROM content.film_work", "",
                "postgres: {secretRef: target-db, table: analytics.film_facts, keyColumns: [film_id]}"));

        RunOutput first = fixture.run(pipeline);
        String identities = fixture.text("SELECT string_agg(film_id || ':' || sk || ':' || serial_no || ':' || loaded_at, ',' ORDER BY film_id) FROM analytics.film_facts");
        fixture.execute("UPDATE content.film_work SET title = title || ' (restored)'");
        RunOutput second = fixture.run(pipeline);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts")).isEqualTo(FILMS);
        assertThat(fixture.strings("SELECT sk::text FROM analytics.film_facts ORDER BY sk")).as("one identity value per row")
                .containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(fixture.text("SELECT max(serial_no)::text FROM analytics.film_facts")).as("one serial value per inserted row").isEqualTo("7");
        assertThat(fixture.text("SELECT string_agg(film_id || ':' || sk || ':' || serial_no || ':' || loaded_at, ',' ORDER BY film_id) FROM analytics.film_facts"))
                .as("an update keeps identity, serial and default values").isEqualTo(identities);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts WHERE title LIKE '% (restored)' AND title_length = length(title)"))
                .as("updated, and the generated column follows").isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts WHERE note = 'none'")).isEqualTo(FILMS);
    }

    @Test
    void aColumnTheTargetLacksIsInvalidBeforeTheFirstBatchNamingIt() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline("extra", PipelineYaml.pipeline("extra", "Full", 3, "",
                "SELECT id AS film_id, title FROM content.film_work", "    - transform: {set: {source_system: films}}\n",
                "postgres: {secretRef: target-db, table: analytics.film_facts, keyColumns: [film_id]}")));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains("analytics.film_facts has no column 'source_system'");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts")).isZero();
        assertThat(fixture.text("SELECT to_regclass('etl.pipeline_run')::text")).as("no lease, no run recorded").isNull();
    }
}
