package dev.platform.etl.runner.run;

import static dev.platform.etl.runner.support.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;
import dev.platform.etl.testkit.pipeline.PipelineBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values survive the trip exactly: NULLs, quotes, unicode, numeric precision, time zones, uuids,
 * booleans, json, infinities; through COPY text (any type) and COPY binary (the common types).
 */
class ValueFidelityTest {
    private static final String COLUMNS = """
            id int PRIMARY KEY, t text, n numeric(38, 12), ts timestamptz, tsn timestamp, d date, u uuid, b boolean,
            j jsonb, js json, f8 float8, i8 bigint, arr int[], bin bytea, iv interval, mood content.mood""";

    @TempDir
    Path dir;

    @Test
    void everyValueArrivesUnchanged() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        fixture.execute("CREATE TYPE content.mood AS ENUM ('happy', 'sad')");
        fixture.execute("CREATE TABLE content.all_types (" + COLUMNS + ")");
        fixture.execute("CREATE TABLE analytics.values_copy (" + COLUMNS + ")");
        fixture.execute("""
                SET TIME ZONE 'Asia/Kolkata';
                INSERT INTO content.all_types VALUES
                 (1, 'O''Brien said "hi"; DROP TABLE x; --', 12345678901234567890.123456789012,
                  '2024-02-29 23:59:59.123456+05:30', '2024-02-29 23:59:59.654321', '0001-01-01', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                  true, '{"a": [1, 2.50, {"b": null}], "ü": "ñ"}', '{"kept":  "as written" }', 0.1, -9223372036854775808,
                  '{1,NULL,3}', '\\x00ff10', '1 year 2 mons 3 days 04:05:06.789', 'happy'),
                 (2, 'Ünïcödé ✓ 日本語 🎬', -0.000000000001, '1970-01-01 00:00:00+00', '2038-01-19 03:14:08', '9999-12-31',
                  '00000000-0000-0000-0000-000000000000', false, '[]', 'null', 1.7976931348623157e308, 9223372036854775807,
                  '{}', '', '-00:00:01', 'sad'),
                 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                 (4, '', 0, 'infinity', '-infinity', 'infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff', true, '"just a string"',
                  '1.0', 'NaN', 0, '{{1,2},{3,4}}', '\\x', '0', 'happy'),
                 (5, NULL, NULL, '0044-03-15 12:00:00.5+00 BC', '10000-01-01 00:00:01', '4713-01-01 BC',
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
                """);
        RunOutput run = copyIntoValuesCopy(fixture, "content.all_types", 2);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.rowsWritten()).isEqualTo(5);
        assertThat(fixture.checksum("analytics.values_copy", "id"))
                .isEqualTo(fixture.checksum("content.all_types", "id"));
        assertThat(fixture.count("SELECT count(*) FROM analytics.values_copy c JOIN content.all_types s USING (id) "
                + "WHERE c.ts IS NOT DISTINCT FROM s.ts AND c.n IS NOT DISTINCT FROM s.n AND c.js::text IS NOT DISTINCT FROM s.js::text"))
                .isEqualTo(5);
    }

    @Test
    void everyValueOfTheCommonTypesArrivesUnchangedThroughBinaryCopy() throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        String columns = """
                id int PRIMARY KEY, s int2, t text, v varchar(40), n numeric(38, 12), ts timestamptz, tsn timestamp, d date,
                u uuid, b boolean, j jsonb, js json, f4 float4, f8 float8, i8 bigint, bin bytea, source text""";
        fixture.execute("CREATE TABLE content.common_types (" + columns.replace(", source text", "") + ")");
        fixture.execute("CREATE TABLE analytics.values_copy (" + columns + ")");
        fixture.execute("""
                SET TIME ZONE 'America/St_Johns';
                INSERT INTO content.common_types VALUES
                 (1, -32768, 'O''Brien said "hi"; tab\there, newline\n, backslash \\', 'Ünïcödé ✓ 日本語 🎬',
                  12345678901234567890.123456789012, '2024-02-29 23:59:59.123456+05:30', '1900-01-01 00:00:00.000001', '0001-01-01',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true, '{"a": [1, 2.50, {"b": null}], "ü": "ñ"}', '{"kept":  "as written" }',
                  3.4028235e38, 0.1, -9223372036854775808, '\\x00ff10'),
                 (2, 32767, '', '', -0.000000000001, '1970-01-01 00:00:00+00', '1999-12-31 23:59:59.999999', '4713-01-01 BC',
                  '00000000-0000-0000-0000-000000000000', false, '[]', 'null', 'NaN', '-Infinity', 9223372036854775807, '\\x'),
                 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                 (4, 0, 'x', 'y', 0, 'infinity', '-infinity', 'infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff', true, '"just a string"',
                  '1.0', '-0', 1.7976931348623157e308, 0, '\\xdeadbeef'),
                 (5, 1, 'z', 'w', 100, '-infinity', 'infinity', '-infinity', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', false, '{}',
                  '{}', 1.5, 4.9e-324, 1, '\\x01'),
                 (6, 2, 'q', 'r', 1e-12, '294276-12-31 23:59:59.999999+00', '2000-01-01 00:00:00', '2000-01-01',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', true, '1', '2', 'Infinity', 'NaN', 2, '\\x02');
                """);
        RunOutput run = copyIntoValuesCopy(fixture, "content.common_types", 4, Transform.set("source", "constant"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.rowsWritten()).isEqualTo(6);
        assertThat(fixture.checksum("(SELECT id, s, t, v, n, ts, tsn, d, u, b, j, js, f4, f8, i8, bin FROM analytics.values_copy)", "id"))
                .isEqualTo(fixture.checksum("content.common_types", "id"));
        assertThat(fixture.count("SELECT count(*) FROM analytics.values_copy c JOIN content.common_types s USING (id) "
                + "WHERE c.ts IS NOT DISTINCT FROM s.ts AND c.n IS NOT DISTINCT FROM s.n AND c.js::text IS NOT DISTINCT FROM s.js::text "
                + "AND c.source = 'constant'")).isEqualTo(6);
    }

    /**
     * numeric also holds NaN, Infinity and -Infinity (the infinities only without a precision);
     * they arrive as they are, by binary COPY (every column of a common type) and by text COPY
     * (an interval column among them).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"binary", "text"})
    void numericsSpecialValuesArriveExactly(String copy) throws Exception {
        RunnerFixture fixture = RunnerFixture.withFilms(dir, 0);
        String columns = "id int PRIMARY KEY, n numeric, nc numeric(10, 2)" + (copy.equals("text") ? ", iv interval" : "");
        fixture.execute("CREATE TABLE content.specials (" + columns + ")");
        fixture.execute("CREATE TABLE analytics.values_copy (" + columns + ")");
        fixture.execute("""
                INSERT INTO content.specials (id, n, nc) VALUES
                 (1, 'NaN', 'NaN'), (2, 'Infinity', 1.5), (3, '-Infinity', -2.25), (4, 0.1, NULL), (5, NULL, 'NaN')""");

        RunOutput run = copyIntoValuesCopy(fixture, "content.specials", 2);

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(fixture.strings("SELECT n::text || ' ' || coalesce(nc::text, '-') FROM analytics.values_copy WHERE n IS NOT NULL ORDER BY id"))
                .containsExactly("NaN NaN", "Infinity 1.50", "-Infinity -2.25", "0.1 -");
        assertThat(fixture.checksum("analytics.values_copy", "id")).isEqualTo(fixture.checksum("content.specials", "id"));
    }

    /** A Full pipeline from every column of {@code table} into analytics.values_copy, keyed by id. */
    private static RunOutput copyIntoValuesCopy(RunnerFixture fixture, String table, int batchSize, Transform... transforms)
            throws Exception {
        PipelineBuilder pipeline = pipeline("values").batchSize(batchSize).query("SELECT * FROM " + table)
                .postgresTarget("analytics.values_copy", "id");
        for (Transform transform : transforms) {
            pipeline.transform(transform);
        }
        return fixture.run(fixture.writePipeline(pipeline));
    }
}
