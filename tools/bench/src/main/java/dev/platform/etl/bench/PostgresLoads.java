package dev.platform.etl.bench;

import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PG→PG: the runner's full load at each batch size against the ceilings timed just before it.
 * This machine's speed drifts by as much as half from one minute to the next, so a ratio compares
 * neighbours. Into an empty target (the runner copies its batches into the table) the ceiling is
 * the direct pipe; into a full one (every batch is upserted) it is the staging pipeline, which
 * always merges. The runner's CPU is reported per row at the margin: the CPU of the load less that
 * of a run over an empty source, so that the JVM's start is not spread over the rows.
 */
final class PostgresLoads {
    private static final String TARGET_COLUMNS = "film_id, title, description, creation_date, rating, modified, source_system";
    private static final String COPY_QUERY = "SELECT id, title, description, creation_date, rating, modified, 'films'::text FROM content.film_work";
    private static final String UPDATES = "title = EXCLUDED.title, description = EXCLUDED.description, creation_date = EXCLUDED.creation_date, "
            + "rating = EXCLUDED.rating, modified = EXCLUDED.modified, source_system = EXCLUDED.source_system";

    /** The runner's full load of the films at a batch size, into the target emptied first or left full. */
    @FunctionalInterface
    interface RunnerLoad {
        RunnerJvm.Measurement into(int batch, boolean emptyTarget) throws Exception;
    }

    /** Readies the database for the next load: no control schema, and the target emptied or vacuumed. */
    @FunctionalInterface
    interface Reset {
        void before(boolean emptyTarget) throws Exception;
    }

    private final PostgresServer postgres;
    private final Reset reset;

    PostgresLoads(PostgresServer postgres, Reset reset) {
        this.postgres = postgres;
        this.reset = reset;
    }

    /** @param startCpuSeconds the runner's CPU seconds for a run over an empty source, with the same JVM options */
    Map<String, Object> measure(List<Integer> batchSizes, int rows, RunnerLoad runner, double startCpuSeconds) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("runnerCpuSecondsOverAnEmptySource", startCpuSeconds);
        Map<Integer, List<Double>> intoEmpty = new LinkedHashMap<>();
        Map<Integer, List<Double>> intoFull = new LinkedHashMap<>();
        for (int batch : batchSizes) {
            Timed direct = timeDirectPipe();
            double directSeconds = direct.seconds();
            double copySeconds = timeCopyPipeline(true);
            double serverCpuBefore = serverCpu();
            RunnerJvm.Measurement load = runner.into(batch, true);
            double serverCpu = serverCpu() - serverCpuBefore;
            double rate = rows / load.runnerSeconds();
            results.put("directPipeRowsPerSecond@" + batch, rows / directSeconds);
            results.put("directPipeClientCpuSeconds@" + batch, direct.clientCpuSeconds());
            results.put("postgresCpuSecondsOfTheRunnerLoad@" + batch, serverCpu);
            results.put("runnerToDirectPipeRatio@" + batch, rate * directSeconds / rows);
            results.put("copyPipelineRowsPerSecond@" + batch, rows / copySeconds);
            results.put("runnerRowsPerSecond@" + batch, rate);
            results.put("runnerCpuSeconds@" + batch, load.cpuSeconds());
            results.put("runnerRowsPerCpuSecondAtTheMargin@" + batch, rows / Math.max(load.cpuSeconds() - startCpuSeconds, 0.01));
            results.put("runnerPeakRssMiB@" + batch, load.peakRssBytes() / 1048576.0);
            intoEmpty.computeIfAbsent(batch, b -> new ArrayList<>()).add(rate * copySeconds / rows);
            fillTargetInKeyOrder();
            double copyIntoFullSeconds = timeCopyPipeline(false);
            fillTargetInKeyOrder();
            RunnerJvm.Measurement upserts = runner.into(batch, false);
            intoFull.computeIfAbsent(batch, b -> new ArrayList<>()).add(copyIntoFullSeconds / upserts.runnerSeconds());
        }
        intoEmpty.forEach((batch, ratios) -> putRatios(results, "runnerToCopyRatio", batch, ratios));
        intoFull.forEach((batch, ratios) -> putRatios(results, "intoFullTargetRunnerToCopyRatio", batch, ratios));
        return results;
    }

    /** The staging pipeline's time: a staging table merged into the target emptied first or left full. */
    double timeCopyPipeline(boolean emptyTarget) throws Exception {
        reset.before(emptyTarget);
        long start = System.nanoTime();
        try (Connection source = postgres.connect("bench"); Connection target = postgres.connect("bench")) {
            CopyPipeline.move(source, target, COPY_QUERY, DemoData.TARGET_TABLE, TARGET_COLUMNS, "film_id", UPDATES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  staging pipeline%s: %.1f s%n", emptyTarget ? "" : " into the full target", seconds);
        return seconds;
    }

    /** The direct pipe's seconds and its client's CPU seconds: the source's rows copied straight into the emptied target. */
    private Timed timeDirectPipe() throws Exception {
        reset.before(true);
        double cpuBefore = CpuSeconds.thisProcess();
        long start = System.nanoTime();
        try (Connection source = postgres.connect("bench"); Connection target = postgres.connect("bench")) {
            CopyPipeline.direct(source, target, COPY_QUERY, DemoData.TARGET_TABLE, TARGET_COLUMNS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = CpuSeconds.thisProcess() - cpuBefore;
        System.out.printf("  direct pipe: %.1f s, client CPU %.2f s%n", seconds, cpu);
        return new Timed(seconds, cpu);
    }

    /** How long a ceiling took, and its own client's CPU. */
    private record Timed(double seconds, double clientCpuSeconds) {
    }

    private double serverCpu() throws Exception {
        try (Connection connection = postgres.connect("bench")) {
            return CpuSeconds.postgresServer(connection);
        }
    }

    /**
     * Fills the target with every source row, in key order, as the runner's own earlier load
     * leaves it: each load into the full target starts from the same table, rather than from the
     * row order and dead row versions that the load before it left.
     */
    private void fillTargetInKeyOrder() throws Exception {
        try (Connection connection = postgres.connect("bench"); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + DemoData.TARGET_TABLE);
            statement.execute("INSERT INTO " + DemoData.TARGET_TABLE + " (" + TARGET_COLUMNS + ") " + COPY_QUERY + " ORDER BY id");
        }
    }

    /**
     * A batch size listed more than once ({@code BENCH_BATCHES=500,500,500}) reports the median of
     * its pairs' ratios, and each of them: one pair can be off by a quarter on this machine.
     */
    private static void putRatios(Map<String, Object> results, String name, int batch, List<Double> ratios) {
        List<Double> sorted = ratios.stream().sorted().toList();
        int middle = sorted.size() / 2;
        results.put(name + "@" + batch, sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2);
        if (ratios.size() > 1) {
            results.put(name + "EachPair@" + batch, ratios);
        }
    }
}
