package dev.platform.etl.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One full load split into 1, 2 and 4 ranges (spec.parallelism), each range a runner JVM of its
 * own started at once, as the pods of one Indexed Job are: the wall time until the last range
 * ends, and where the CPU went (the runners', PostgreSQL's, and what was left idle).
 */
final class ParallelLoads {
    static final List<Integer> RANGES = List.of(1, 2, 4);

    /** Writes the pipeline with the given parallelism and clears the target and the control schema. */
    @FunctionalInterface
    interface Setup {
        Path pipelineWith(int ranges) throws Exception;
    }

    private ParallelLoads() {
    }

    static Map<String, Object> measure(Setup setup, Path secrets, Map<String, String> environment, Path work, Connection server, int rows)
            throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        double baseline = Double.NaN;
        for (int ranges : RANGES) {
            Path pipeline = setup.pipelineWith(ranges);
            double runnerCpuBefore = CpuSeconds.reapedChildren();
            double serverCpuBefore = CpuSeconds.postgresServer(server);
            long started = System.nanoTime();
            List<RunnerJvm.Started> runners = new ArrayList<>();
            for (int index = 0; index < ranges; index++) {
                runners.add(RunnerJvm.start(pipeline, secrets, environment, work, RunnerJvm.POD_HEAP,
                        "--range", index + "/" + ranges, "--run-id", "bench-" + ranges));
            }
            long read = 0;
            for (RunnerJvm.Started runner : runners) {
                read += runner.await().summary().path("rowsRead").asLong();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double runnerCpu = CpuSeconds.reapedChildren() - runnerCpuBefore;
            double serverCpu = CpuSeconds.postgresServer(server) - serverCpuBefore;
            if (read != rows) {
                throw new IllegalStateException(ranges + " ranges read " + read + " rows, not " + rows);
            }
            baseline = ranges == 1 ? seconds : baseline;
            double idle = Math.max(0, cores * seconds - runnerCpu - serverCpu);
            System.out.printf("  %d range(s): %.1f s with JVM starts, %.2fx the speed of 1; runner CPU %.1f s, PostgreSQL CPU %.1f s, "
                    + "idle %.1f of %d cores x %.1f s%n", ranges, seconds, baseline / seconds, runnerCpu, serverCpu, idle, cores, seconds);
            results.put("seconds@" + ranges, seconds);
            results.put("rowsPerSecond@" + ranges, rows / seconds);
            results.put("speedupOver1@" + ranges, baseline / seconds);
            results.put("runnerCpuSeconds@" + ranges, runnerCpu);
            results.put("postgresCpuSeconds@" + ranges, serverCpu);
            results.put("idleCpuSeconds@" + ranges, idle);
        }
        return results;
    }
}
