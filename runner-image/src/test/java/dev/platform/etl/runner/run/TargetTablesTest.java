package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
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
        Path pipeline = fixture.writePipeline(pipeline("facts").batchSize(3)
                .query("SELECT id AS film_id, title FROM content.film_work").postgresTarget("analytics.film_facts", "film_id"));

        RunOutput first = fixture.run(pipeline);
        String identities = fixture.text("SELECT string_agg(film_id || ':' || sk || ':' || serial_no || ':' || loaded_at, ',' ORDER BY film_id) FROM analytics.film_facts");
        fixture.execute("UPDATE content.film_work SET title = title || ' (restored)'");
        RunOutput second = fixture.run(pipeline);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts")).isEqualTo(FILMS);
        assertThat(fixture.strings("SELECT sk::text FROM analytics.film_facts ORDER BY film_facts.sk")).as("one identity value per row")
                .containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(fixture.text("SELECT max(serial_no)::text FROM analytics.film_facts")).as("one serial value per inserted row").isEqualTo("7");
        assertThat(fixture.text("SELECT string_agg(film_id || ':' || sk || ':' || serial_no || ':' || loaded_at, ',' ORDER BY film_id) FROM analytics.film_facts"))
                .as("an update keeps identity, serial and default values").isEqualTo(identities);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts WHERE title LIKE '% (restored)' AND title_length = length(title)"))
                .as("updated, and the generated column follows").isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts WHERE note = 'none'")).isEqualTo(FILMS);
    }

    @Test
    void aTableWithoutAUniqueIndexOnExactlyTheKeyColumnsIsInvalidBeforeTheFirstBatch() throws Exception {
        fixture.environment().put(Allowlist.POSTGRES_TABLES_ENV, "analytics.film_titles");
        fixture.execute("CREATE TABLE analytics.film_titles (film_id uuid NOT NULL, title text NOT NULL, UNIQUE (film_id, title))");

        RunOutput run = fixture.run(fixture.writePipeline(pipeline("titles").batchSize(3)
                .query("SELECT id AS film_id, title FROM content.film_work").postgresTarget("analytics.film_titles", "film_id")));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains("analytics.film_titles has no primary key or unique index on exactly (film_id)");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_titles")).isZero();
    }

    @Test
    void aViewOverATableWithTheKeyIndexIsUpsertedThroughOnEveryRun() throws Exception {
        fixture.environment().put(Allowlist.POSTGRES_TABLES_ENV, "analytics.film_titles_view");
        fixture.execute("""
                CREATE TABLE analytics.film_titles (film_id uuid PRIMARY KEY, title text NOT NULL);
                CREATE VIEW analytics.film_titles_view AS SELECT film_id, title FROM analytics.film_titles""");
        Path pipeline = fixture.writePipeline(pipeline("view").batchSize(3)
                .query("SELECT id AS film_id, title FROM content.film_work")
                .postgresTarget("analytics.film_titles_view", "film_id"));

        RunOutput first = fixture.run(pipeline);
        fixture.execute("UPDATE content.film_work SET title = title || ' (restored)'");
        RunOutput second = fixture.run(pipeline);

        assertThat(first.result()).as(first.stderr()).isEqualTo("SUCCEEDED");
        assertThat(second.result()).as(second.stderr()).isEqualTo("SUCCEEDED");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_titles")).isEqualTo(FILMS);
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_titles WHERE title LIKE '% (restored)'")).isEqualTo(FILMS);
    }

    @Test
    void aColumnTheTargetLacksIsInvalidBeforeTheFirstBatchNamingIt() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("extra").batchSize(3)
                .query("SELECT id AS film_id, title FROM content.film_work").transform(Transform.set("source_system", "films"))
                .postgresTarget("analytics.film_facts", "film_id")));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains("analytics.film_facts has no column 'source_system'").contains("addColumns: true");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts")).isZero();
        assertThat(fixture.text("SELECT to_regclass('etl.pipeline_run')::text")).as("no lease, no run recorded").isNull();
    }

    @Test
    void createTableMakesAMissingTableWithTheReadersExactTypesAndAPrimaryKeyOnTheKeyColumns() throws Exception {
        fixture.environment().put(Allowlist.POSTGRES_TABLES_ENV, "analytics.film_copies");
        createTypedSource();
        Path pipeline = fixture.writePipeline(pipeline("copies").batchSize(2)
                .query("SELECT id, price, released, at, tags, doc, code, price * 2 AS doubled FROM content.typed")
                .transform(Transform.rename("id", "film_id").andSet("source_system", "films").andSet("copies", 3))
                .postgresTarget("analytics.film_copies", "film_id").postgres(target -> target.setCreateTable(true)));

        RunOutput first = fixture.run(pipeline);
        RunOutput second = fixture.run(pipeline);

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).as("the table now exists: " + second.stderr()).isZero();
        assertThat(fixture.strings("""
                SELECT attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END
                  FROM pg_attribute WHERE attrelid = 'analytics.film_copies'::regclass AND attnum > 0 ORDER BY attnum"""))
                .containsExactly("film_id uuid not null", "price numeric(10,2)", "released date", "at timestamp with time zone",
                        "tags integer[]", "doc jsonb", "code character varying(8)", "doubled numeric", "source_system text", "copies bigint");
        assertThat(fixture.text("""
                SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'analytics.film_copies'::regclass AND contype = 'p'"""))
                .isEqualTo("PRIMARY KEY (film_id)");
        assertThat(fixture.count("""
                SELECT count(*) FROM content.typed s JOIN analytics.film_copies t ON t.film_id = s.id
                 WHERE (t.price, t.released, t.at, t.tags, t.doc, t.code, t.doubled) IS NOT DISTINCT FROM
                       (s.price, s.released, s.at, s.tags, s.doc, s.code, s.price * 2)""")).as("every value as read").isEqualTo(3);
    }

    @Test
    void aMissingTableWithoutCreateTableIsInvalidNamingTheFlagAndNothingIsCreated() throws Exception {
        fixture.environment().put(Allowlist.POSTGRES_TABLES_ENV, "analytics.film_copies");
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("copies").batchSize(3)
                .query("SELECT id AS film_id, title FROM content.film_work").postgresTarget("analytics.film_copies", "film_id")));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.message()).contains("analytics.film_copies does not exist").contains("createTable: true");
        assertThat(fixture.text("SELECT to_regclass('analytics.film_copies')::text")).isNull();
        assertThat(fixture.text("SELECT to_regclass('etl.pipeline_run')::text")).as("no lease, no run recorded").isNull();
    }

    @Test
    void createTableOutsideTheAllowlistIsInvalidAndCreatesNothing() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("copies").batchSize(3)
                .query("SELECT id AS film_id, title FROM content.film_work")
                .postgresTarget("analytics.film_copies", "film_id").postgres(target -> target.setCreateTable(true))));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.message()).contains("analytics.film_copies");
        assertThat(fixture.text("SELECT to_regclass('analytics.film_copies')::text")).isNull();
    }

    @Test
    void addColumnsAddsTheColumnsTheTableLacksAndKeepsItsRows() throws Exception {
        fixture.execute("INSERT INTO analytics.film_facts (film_id, title) SELECT id, title FROM content.film_work LIMIT 2");
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("extra").batchSize(3)
                .query("SELECT id AS film_id, title, rating FROM content.film_work").transform(Transform.set("source_system", "films"))
                .postgresTarget("analytics.film_facts", "film_id").postgres(target -> target.setAddColumns(true))));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(fixture.strings("""
                SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute
                 WHERE attrelid = 'analytics.film_facts'::regclass AND attnum > 7 AND NOT attisdropped ORDER BY attnum"""))
                .containsExactly("rating " + fixture.text("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                        + "WHERE attrelid = 'content.film_work'::regclass AND attname = 'rating'"), "source_system text");
        assertThat(fixture.count("""
                SELECT count(*) FROM analytics.film_facts t JOIN content.film_work s ON s.id = t.film_id
                 WHERE t.source_system = 'films' AND t.rating IS NOT DISTINCT FROM s.rating""")).isEqualTo(FILMS);
        assertThat(fixture.strings("SELECT sk::text FROM analytics.film_facts ORDER BY film_facts.sk LIMIT 2")).as("the rows already there keep theirs")
                .containsExactly("1", "2");
    }

    @Test
    void aColumnWhoseTypeTheTableCannotTakeIsInvalidNamingBothTypesAndNothingChanges() throws Exception {
        RunOutput run = fixture.run(fixture.writePipeline(pipeline("clash").batchSize(3)
                .query("SELECT id AS film_id, title, true AS loaded_at FROM content.film_work")
                .postgresTarget("analytics.film_facts", "film_id").postgres(target -> target.setAddColumns(true))));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.message()).contains("column 'loaded_at' is timestamp with time zone in analytics.film_facts, but the rows carry boolean");
        assertThat(fixture.count("SELECT count(*) FROM analytics.film_facts")).isZero();
    }

    /** content.typed: columns whose types a created table must keep exactly. */
    private void createTypedSource() throws Exception {
        fixture.execute("""
                CREATE TABLE content.typed (id uuid PRIMARY KEY, price numeric(10,2), released date, at timestamptz,
                                            tags int[], doc jsonb, code varchar(8));
                INSERT INTO content.typed VALUES
                  ('00000000-0000-0000-0000-000000000001', 12.50, '2024-02-29', '2024-03-01 10:00:00.123456+02', '{1,2}', '{"a": [1]}', 'X1'),
                  ('00000000-0000-0000-0000-000000000002', NULL, NULL, NULL, NULL, NULL, NULL),
                  ('00000000-0000-0000-0000-000000000003', 0.01, '0001-01-01', 'infinity', '{}', '[]', '')""");
    }
}
