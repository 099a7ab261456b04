package dev.platform.etl.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@code make bench} measures: the rows, the cases, the batch sizes, the rounds of the
 * start case, and where the result goes.
 *
 * @param resultsFolder where the result file is written; only a run into {@link #RESULTS} also
 *                      regenerates docs/performance.md
 */
public record BenchSettings(int rows, Set<String> cases, List<Integer> batchSizes, int startRounds, Path resultsFolder) {
    /** What {@code BENCH_CASES} can choose; all by default. */
    public static final List<String> CASES = List.of("postgres", "elasticsearch", "incremental", "memory", "deletes", "reload", "parallel", "start");
    public static final Path RESULTS = Path.of("tools", "bench", "results");

    public BenchSettings {
        cases = Set.copyOf(cases);
        batchSizes = List.copyOf(batchSizes);
        if (!CASES.containsAll(cases)) {
            throw new IllegalArgumentException("BENCH_CASES takes a comma-separated list of " + CASES + "; got " + cases);
        }
    }

    /** {@code BENCH_ROWS} (1,000,000), {@code BENCH_CASES} (all) and {@code BENCH_BATCHES} (500,2000,10000). */
    public static BenchSettings fromEnvironment(Map<String, String> environment) {
        return new BenchSettings(Integer.parseInt(environment.getOrDefault("BENCH_ROWS", "1000000")),
                Set.copyOf(split(environment.getOrDefault("BENCH_CASES", String.join(",", CASES)))),
                split(environment.getOrDefault("BENCH_BATCHES", "500,2000,10000")).stream().map(Integer::parseInt).toList(),
                5, RESULTS);
    }

    boolean measures(String name) {
        return cases.contains(name);
    }

    private static List<String> split(String list) {
        return Arrays.asList(list.split("\\s*,\\s*"));
    }
}
