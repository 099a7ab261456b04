package dev.platform.etl.bench.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.bench.Machine;
import dev.platform.etl.bench.report.PerformancePage;
import dev.platform.etl.testkit.kube.AuditLog;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * {@code make bench-operator}: one operator and N pipelines (BENCH_PIPELINES, 100,500,1000 by default)
 * on the local control plane. For each N, on a fresh plane: N pipelines applied at once, each with a
 * run request; the time from each apply to its Job, and until every run has succeeded; the
 * operator's peak RSS and CPU; its API requests per run from the audit log; its requests per
 * minute while the N pipelines idle (BENCH_IDLE_SECONDS); then the operator stopped, every pipeline
 * given a new run request, and the operator started again over N existing pipelines. Runner pods
 * are stubbed (they succeed at once with a valid summary), so this measures the operator, not N
 * runner JVMs. A benchmark, never a test: nothing here passes or fails.
 */
public final class OperatorBench {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final int APPLY_THREADS = 8;

    private final Map<String, Object> results = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream(System.getenv().getOrDefault("BENCH_PIPELINES", "100,500,1000").split("\\s*,\\s*"))
                .map(Integer::parseInt).toList();
        int idleSeconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_SECONDS", "60"));
        Map<String, String> chartValues = chartValues(System.getenv().getOrDefault("BENCH_CHART_SET", ""));
        new OperatorBench().run(sizes, idleSeconds, chartValues);
    }

    /** {@code key=value,key=value}: chart values to compare settings with. */
    private static Map<String, String> chartValues(String list) {
        return Arrays.stream(list.split(",")).filter(pair -> !pair.isBlank()).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0].trim(), pair -> pair[1].trim(), (a, b) -> b, LinkedHashMap::new));
    }

    private void run(List<Integer> sizes, int idleSeconds, Map<String, String> chartValues) throws Exception {
        results.put("machine", Machine.describe());
        results.put("runnerPods", "stubbed: each runner pod succeeds at once with a valid summary, no JVM");
        results.put("chartValues", chartValues);
        results.put("idleSeconds", idleSeconds);
        List<Map<String, Object>> bySize = new ArrayList<>();
        results.put("sizes", bySize);
        for (int n : sizes) {
            System.out.println("== " + n + " pipelines: a fresh control plane and the chart");
            try (BenchCluster cluster = BenchCluster.start(chartValues)) {
                bySize.add(measure(cluster, n, idleSeconds));
            }
        }
        printTable(bySize);
        write();
    }

    private Map<String, Object> measure(BenchCluster cluster, int n, int idleSeconds) throws Exception {
        KubernetesClient client = cluster.client();
        ProcessHandle operator = cluster.operatorProcess();
        double cpuAtStart = ProcessStats.of(operator).cpuSeconds();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pipelines", n);

        Instant begin = Instant.now();
        Map<String, Instant> applied;
        Instant end;
        try (Timeline timeline = new Timeline(client, BenchCluster.NAMESPACE, 1)) {
            applied = inParallel(n, i -> {
                client.resource(Pipelines.manifest("bench-" + i, BenchCluster.NAMESPACE, "r-1")).create();
                return Instant.now();
            });
            awaitAll("Jobs", timeline.jobCreated(), n, timeline);
            awaitAll("runs succeeded", timeline.succeeded(), n, timeline);
            end = Instant.now();
            result.put("toJob", latencies(applied, timeline.jobCreated()));
            result.put("allSucceededSeconds", seconds(begin, latest(timeline.succeeded())));
        }
        ProcessStats afterRuns = ProcessStats.of(operator);
        result.put("operatorPeakRssMiB", round(afterRuns.peakRssMiB()));
        result.put("operatorCpuSeconds", round(afterRuns.cpuSeconds() - cpuAtStart));
        List<AuditLog.Request> requests = between(cluster.auditLog().requestsOf(BenchCluster.OPERATOR_USER, begin), begin, end);
        result.put("requestsPerRun", perRun(requests, n, false));
        result.put("writesPerRun", perRun(requests, n, true));

        System.out.println("   idle for " + idleSeconds + " s");
        Instant idleFrom = Instant.now();
        TimeUnit.SECONDS.sleep(idleSeconds); // a window to count requests in, not a wait for a condition
        List<AuditLog.Request> idle = between(cluster.auditLog().requestsOf(BenchCluster.OPERATOR_USER, idleFrom), idleFrom, Instant.now());
        result.put("idleRequestsPerMinute", countByKind(idle, r -> true).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> round(e.getValue() * 60.0 / idleSeconds), (a, b) -> a, TreeMap::new)));
        result.put("operatorPeakRssMiBAfterIdle", round(ProcessStats.of(operator).peakRssMiB()));

        result.put("restart", restart(cluster, n));
        System.out.println("   " + result);
        return result;
    }

    /** The operator stopped, a new run requested of every pipeline, the operator started again. */
    private Map<String, Object> restart(BenchCluster cluster, int n) throws Exception {
        KubernetesClient client = cluster.client();
        cluster.scaleOperator(0);
        inParallel(n, i -> client.resources(EtlPipeline.class).inNamespace(BenchCluster.NAMESPACE)
                .withName("bench-" + i).edit(pipeline -> {
                    pipeline.getSpec().setRunRequest("r-2");
                    return pipeline;
                }));
        Map<String, Object> result = new LinkedHashMap<>();
        try (Timeline timeline = new Timeline(client, BenchCluster.NAMESPACE, 2)) {
            Instant start = Instant.now();
            cluster.scaleOperator(1);
            ProcessHandle operator = cluster.operatorProcess();
            awaitAll("Jobs after the restart", timeline.jobCreated(), n, timeline);
            awaitAll("runs succeeded after the restart", timeline.succeeded(), n, timeline);
            result.put("firstJobSeconds", seconds(start, earliest(timeline.jobCreated())));
            result.put("allJobsSeconds", seconds(start, latest(timeline.jobCreated())));
            result.put("allSucceededSeconds", seconds(start, latest(timeline.succeeded())));
            ProcessStats stats = ProcessStats.of(operator);
            result.put("operatorPeakRssMiB", round(stats.peakRssMiB()));
            result.put("operatorCpuSeconds", round(stats.cpuSeconds()));
        }
        return result;
    }

    private static <T> Map<String, T> inParallel(int n, Function<Integer, T> work) throws InterruptedException {
        Map<String, T> done = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(APPLY_THREADS);
        IntStream.range(0, n).forEach(i -> pool.submit(() -> done.put("bench-" + i, work.apply(i))));
        pool.shutdown();
        if (!pool.awaitTermination(WAIT.toMinutes(), TimeUnit.MINUTES) || done.size() != n) {
            throw new IllegalStateException("only " + done.size() + " of " + n + " requests went through");
        }
        return done;
    }

    private static void awaitAll(String what, Map<String, Instant> seen, int n, Timeline timeline) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .conditionEvaluationListener(condition -> {
                    if (condition.getElapsedTimeInMS() % 10_000 < 100) {
                        System.out.println("   waiting for " + what + ": " + seen.size() + " of " + n + " (" + timeline.cacheSummary() + ")");
                    }
                })
                .until(() -> seen.size() >= n);
        System.out.println("   " + what + ": " + n);
    }

    private static Map<String, Object> latencies(Map<String, Instant> from, Map<String, Instant> to) {
        List<Double> sorted = from.keySet().stream().map(name -> seconds(from.get(name), to.get(name))).sorted().toList();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("firstSeconds", sorted.get(0));
        latency.put("p50Seconds", percentile(sorted, 0.50));
        latency.put("p99Seconds", percentile(sorted, 0.99));
        latency.put("maxSeconds", sorted.get(sorted.size() - 1));
        return latency;
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static List<AuditLog.Request> between(List<AuditLog.Request> requests, Instant from, Instant to) {
        return requests.stream().filter(r -> !r.received().isAfter(to) && !r.received().isBefore(from)).toList();
    }

    private static Map<String, Object> perRun(List<AuditLog.Request> requests, int n, boolean writesOnly) {
        Map<String, Object> perRun = new TreeMap<>();
        countByKind(requests, r -> !writesOnly || r.isWrite()).forEach((kind, count) -> perRun.put(kind, round((double) count / n)));
        perRun.put("total", round(requests.stream().filter(r -> !writesOnly || r.isWrite()).count() / (double) n));
        return perRun;
    }

    private static Map<String, Long> countByKind(List<AuditLog.Request> requests, Predicate<AuditLog.Request> which) {
        return requests.stream().filter(which).collect(Collectors.groupingBy(r -> r.verb() + " " + resource(r.uri()), TreeMap::new,
                Collectors.counting()));
    }

    /** {@code /apis/batch/v1/namespaces/bench/jobs/x/status?...} is {@code jobs/status}. */
    static String resource(String uri) {
        String[] parts = uri.replaceFirst("\\?.*", "").split("/");
        int namespaces = Arrays.asList(parts).indexOf("namespaces");
        int at = namespaces >= 0 && parts.length > namespaces + 2 ? namespaces + 2 : parts[1].equals("api") ? 3 : 4;
        if (at >= parts.length) {
            return uri;
        }
        return parts.length > at + 2 ? parts[at] + "/" + parts[at + 2] : parts[at];
    }

    private static Instant earliest(Map<String, Instant> times) {
        return times.values().stream().min(Instant::compareTo).orElseThrow();
    }

    private static Instant latest(Map<String, Instant> times) {
        return times.values().stream().max(Instant::compareTo).orElseThrow();
    }

    private static double seconds(Instant from, Instant to) {
        return round(Duration.between(from, to).toMillis() / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(List<Map<String, Object>> bySize) {
        System.out.println();
        System.out.println("| N | first Job | p50 | p99 | all Jobs | all Succeeded | peak RSS | CPU | writes/run | requests/run | after restart: all Jobs |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Map<String, Object> size : bySize) {
            Map<String, Object> toJob = (Map<String, Object>) size.get("toJob");
            Map<String, Object> restart = (Map<String, Object>) size.get("restart");
            System.out.printf("| %s | %s s | %s s | %s s | %s s | %s s | %s MiB | %s s | %s | %s | %s s |%n", size.get("pipelines"),
                    toJob.get("firstSeconds"), toJob.get("p50Seconds"), toJob.get("p99Seconds"), toJob.get("maxSeconds"),
                    size.get("allSucceededSeconds"), size.get("operatorPeakRssMiB"), size.get("operatorCpuSeconds"),
                    ((Map<String, Object>) size.get("writesPerRun")).get("total"), ((Map<String, Object>) size.get("requestsPerRun")).get("total"),
                    restart.get("allJobsSeconds"));
        }
    }

    private void write() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = Path.of("tools", "bench", "results", "operator-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.createDirectories(file.getParent());
        json.writeValue(file.toFile(), results);
        PerformancePage.write(Path.of("").toAbsolutePath());
        System.out.println("written to " + file + ", and " + PerformancePage.PAGE + " from the newest results");
    }
}
