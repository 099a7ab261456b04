package dev.platform.etl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.runner.cli.EtlRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runner as a pod runs it: its own JVM, timed from outside and inside, its peak RSS sampled. */
final class RunnerJvm {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOG_TIME = Pattern.compile("^(\\S+) \\[INFO] PipelineRun - .* (starts|SUCCEEDED)", Pattern.MULTILINE);
    static final DateTimeFormatter LOG_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** One run: wall time of the process, time from the run's start to its end inside the runner, peak RSS, CPU seconds (NaN when unknown). */
    record Measurement(JsonNode summary, double totalSeconds, double runnerSeconds, long peakRssBytes, double cpuSeconds) {
    }

    private RunnerJvm() {
    }

    /** The runner's JVM options in its pod, with the heap that MaxRAMPercentage=75 gives under the default 512Mi limit. */
    static final List<String> POD_HEAP = podOptions("-Xmx384m");
    /** A small fixed heap: what stays of RSS is what the runner holds, whatever the row count. */
    static final List<String> SMALL_HEAP = podOptions("-Xms64m", "-Xmx64m");

    private static List<String> podOptions(String... heap) {
        List<String> options = new ArrayList<>(List.of(heap));
        Arrays.stream(PodEnvironment.RUNNER_JAVA_OPTIONS.split(" ")).filter(o -> !o.startsWith("-XX:MaxRAMPercentage")).forEach(options::add);
        return List.copyOf(options);
    }

    static Measurement run(Path pipeline, Path secrets, Map<String, String> environment, Path workDir, List<String> jvmOptions)
            throws IOException, InterruptedException {
        double cpuBefore = CpuSeconds.reapedChildren();
        Measurement measured = start(pipeline, secrets, environment, workDir, jvmOptions).await();
        return new Measurement(measured.summary(), measured.totalSeconds(), measured.runnerSeconds(), measured.peakRssBytes(),
                CpuSeconds.reapedChildren() - cpuBefore);
    }

    /** A runner JVM started, not yet awaited: several can run at once, as the pods of one Job do. */
    static Started start(Path pipeline, Path secrets, Map<String, String> environment, Path workDir, List<String> jvmOptions,
                         String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EtlRunner.class.getName(),
                "run", "-f", pipeline.toString(), "-f", secrets.toString()));
        command.addAll(List.of(extraArgs));
        Path out = Files.createTempFile(workDir, "runner", ".out");
        Path err = Files.createTempFile(workDir, "runner", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        return new Started(builder.start(), out, err, started);
    }

    record Started(Process process, Path out, Path err, long startedNanos) {
        /** Waits for the runner to end, sampling its peak RSS meanwhile; fails if it did not exit 0. */
        Measurement await() throws IOException, InterruptedException {
            long peak = 0;
            while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, peakRss(process.pid()));
            }
            double total = (System.nanoTime() - startedNanos) / 1e9;
            String stderr = Files.readString(err);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("runner exited " + process.exitValue() + ":\n" + stderr);
            }
            List<String> lines = Files.readAllLines(out);
            return new Measurement(JSON.readTree(lines.get(lines.size() - 1)), total, insideSeconds(stderr), peak, Double.NaN);
        }
    }

    /** VmHWM, the process's peak resident set so far (monotonic, so the last sample is the peak). */
    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process has just ended
        }
        return 0;
    }

    private static double insideSeconds(String stderr) {
        Matcher m = LOG_TIME.matcher(stderr);
        Instant start = null;
        Instant end = null;
        while (m.find()) {
            Instant at = OffsetDateTime.parse(m.group(1), LOG_FORMAT).toInstant();
            if (m.group(2).equals("starts") && start == null) {
                start = at;
            } else if (m.group(2).equals("SUCCEEDED")) {
                end = at;
            }
        }
        return start == null || end == null ? Double.NaN : (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }
}
