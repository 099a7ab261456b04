package dev.platform.etl.runner.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import dev.platform.etl.runner.support.TestPipelines;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reader query that changes its own session's settings still cannot write to the source: not
 * by making the driver split it into statements the check did not see, nor by turning read-only
 * transactions off, nor through the search path. {@code public.victim} keeps its three rows.
 */
class ReaderCannotWriteTest {
    @TempDir
    Path dir;

    private RunnerFixture fixture;

    @BeforeEach
    void victim() throws Exception {
        fixture = RunnerFixture.withFilms(dir, 1);
        fixture.execute("""
                CREATE TABLE public.victim (id int PRIMARY KEY);
                INSERT INTO public.victim VALUES (1), (2), (3);
                -- deletes the victim's rows whenever it runs in a transaction that may write
                CREATE FUNCTION public.wipe(g int) RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                  IF current_setting('transaction_read_only') = 'off' THEN DELETE FROM public.victim; END IF;
                  RETURN g;
                END $$;
                """);
    }

    /**
     * The first execution turns {@code standard_conforming_strings} off, so that the driver would
     * read {@code \'} as an escaped quote the next time and split the text into
     * {@code SELECT …; COMMIT; DELETE …; SELECT …}.
     */
    @Test
    void aQueryThatWouldBeSplitOnceItTurnedStandardConformingStringsOffIsInvalidAndNeverRuns() throws Exception {
        String query = "SELECT 'a\\' AS q, ' AS r) AS t; COMMIT; DELETE FROM public.victim; SELECT * FROM (SELECT 1 AS q, 2 --'\n"
                + "   AS s, set_config('standard_conforming_strings', 'off', false) AS r, g AS id FROM generate_series(1, 10) g";

        RunOutput run = fixture.run(pipeline("splitter", query));

        assertThat(run.result()).as(run.stderr()).isEqualTo("INVALID");
        assertThat(run.message()).contains("must be exactly one SELECT statement").contains("when backslashes escape quotes");
        assertThat(fixture.count("SELECT count(*) FROM public.victim")).isEqualTo(3);
    }

    /** A query that is one statement either way, but changes how the session reads what comes after it. */
    @Test
    void aQueryThatTurnsStandardConformingStringsOffStopsTheRunBeforeItsNextExecution() throws Exception {
        RunOutput run = fixture.run(pipeline("conforming",
                "SELECT g AS id, set_config('standard_conforming_strings', 'off', false) AS s, public.wipe(g) AS w"
                        + " FROM generate_series(1, 10) g"));

        assertThat(run.result()).as(run.stderr()).isEqualTo("FAILED");
        assertThat(run.message()).contains("turned standard_conforming_strings off");
        assertThat(fixture.count("SELECT count(*) FROM public.victim")).isEqualTo(3);
    }

    /**
     * The query turns read-only transactions off for its session, changes its search path, or
     * both, and the Secret's URL asks the driver to ignore read-only and split statements itself:
     * every page still runs in a read-only transaction.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"set_config('default_transaction_read_only', 'off', false)", "set_config('search_path', 'pg_temp, public', false)",
            "set_config('default_transaction_read_only', 'off', false) || set_config('search_path', 'public', false)"})
    void aQueryThatChangesItsSessionStillReadsInReadOnlyTransactions(String setting) throws Exception {
        fixture.addUrlParameters("source-db", "readOnlyMode=ignore&preferQueryMode=simple");

        RunOutput run = fixture.run(pipeline("settings", "SELECT g AS id, " + setting + " AS s, public.wipe(g) AS w FROM generate_series(1, 10) g"));

        assertThat(run.result()).as(run.stderr()).isEqualTo("SUCCEEDED");
        assertThat(fixture.count("SELECT count(*) FROM analytics.values_copy")).isEqualTo(10);
        assertThat(fixture.count("SELECT count(*) FROM public.victim")).as("every page ran read-only").isEqualTo(3);
    }

    /** A resumable full load of 10 rows in pages of 3, so the query runs four times. */
    private Path pipeline(String name, String query) {
        return fixture.writePipeline(TestPipelines.pipeline(name).batchSize(3).tieBreaker("id").query(query)
                .postgresTarget("analytics.values_copy", "id").postgres(target -> target.setCreateTable(true)));
    }
}
