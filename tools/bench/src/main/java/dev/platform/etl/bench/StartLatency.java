package dev.platform.etl.bench;

import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.testkit.container.Container;
import dev.platform.etl.testkit.container.ContainerSpec;
import dev.platform.etl.testkit.container.ImageArchive;
import dev.platform.etl.testkit.container.RootFsCache;
import dev.platform.etl.testkit.container.Runc;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container start against jar start: the same run (env, args, pipeline, 512 MiB) launched as the
 * runner's image under runc, as the kubelet of the tests runs it, and as a JVM of the shaded jar,
 * alternately. Each is timed from its launch to the run's start and to its first batch committed,
 * as the runner's log stamps them, and to its exit.
 */
final class StartLatency {
    private static final Pattern LOGGED = Pattern.compile("^(\\S+) \\[INFO] \\S+ - .*(run \\S+ \\(.*\\) starts|batch 1 committed)", Pattern.MULTILINE);
    private static final long MEMORY = 512L << 20;

    /** Empties the target and the control schema before each launch. */
    interface Reset {
        void run() throws Exception;
    }

    private final Path work;
    private final List<String> env;
    private final Runc runc;
    private final ImageArchive image;

    private StartLatency(Path work, List<String> env, Runc runc, ImageArchive image) {
        this.work = work;
        this.env = env;
        this.runc = runc;
        this.image = image;
    }

    /** Median seconds of each way over {@code rounds} rounds, after one unmeasured launch of each; empty where runc cannot run here. */
    static Optional<Map<String, Object>> measure(String jdbcUrl, Path work, int rounds, Reset reset) throws Exception {
        Path tar = SharedCluster.imageTar("etl-runner");
        if (!Runc.usable() || !Files.isRegularFile(tar)) {
            System.out.println("  start: skipped (runc, root and make images are needed to run the image)");
            return Optional.empty();
        }
        Path runtime = Files.createDirectories(work.resolve("runtime"));
        Runc runc = new Runc(runtime, new RootFsCache(Path.of(System.getProperty("user.home"), ".cache", "etl-operator", "rootfs")));
        StartLatency latency = new StartLatency(work, environment(jdbcUrl), runc, ImageArchive.read(tar));
        reset.run();
        latency.container("warm-up");
        reset.run();
        latency.jar("warm-up");
        List<Times> containers = new ArrayList<>();
        List<Times> jars = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            reset.run();
            containers.add(latency.container("round-" + round));
            reset.run();
            jars.add(latency.jar("round-" + round));
        }
        Times container = Times.median(containers);
        Times jar = Times.median(jars);
        System.out.printf("  launch to first batch (median of %d): container %.2f s (run starts at %.2f s, exits at %.2f s), "
                + "jar %.2f s (%.2f s, %.2f s)%n", rounds, container.firstBatch(), container.runStart(), container.exit(),
                jar.firstBatch(), jar.runStart(), jar.exit());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("container", container.asMap());
        result.put("jar", jar.asMap());
        result.put("rounds", rounds);
        return Optional.of(result);
    }

    /** The pod's env, as the operator's Job gives it (secrets resolved, as the kubelet resolves them). */
    private static List<String> environment(String jdbcUrl) {
        List<String> env = new ArrayList<>();
        env.add(PodEnvironment.PIPELINE + "=" + Benchmark.pipeline("start", "Full", 500, "", Benchmark.POSTGRES_TARGET));
        for (String secret : List.of("source-db", "target-db")) {
            env.add(PodEnvironment.secretVariable(secret, "jdbcUrl") + "=" + jdbcUrl);
            env.add(PodEnvironment.secretVariable(secret, "username") + "=postgres");
            env.add(PodEnvironment.secretVariable(secret, "password") + "=");
        }
        env.add(Allowlist.POSTGRES_TABLES_ENV + "=" + DemoData.TARGET_TABLE);
        env.add("JAVA_TOOL_OPTIONS=" + PodEnvironment.RUNNER_JAVA_OPTIONS);
        return List.copyOf(env);
    }

    private Times container(String name) throws Exception {
        Path pod = Files.createDirectories(work.resolve("start-" + name));
        Path tmp = Files.createDirectories(pod.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> containerEnv = new ArrayList<>(image.env());
        containerEnv.addAll(env);
        List<String> args = new ArrayList<>(image.entrypoint());
        args.addAll(List.of("run", "--run-id", name));
        int[] user = image.uidAndGid();
        Path log = pod.resolve("runner.log");
        Instant launched = Instant.now();
        Container container = runc.start("start-" + name, image, new ContainerSpec(args, containerEnv, image.workingDir(), user[0], user[1],
                List.of(), true, true, Set.of(), MEMORY, "runner", List.of(new ContainerSpec.Mount("/tmp", tmp.toString(), false))), log);
        try {
            container.handle().onExit().get(10, TimeUnit.MINUTES);
            Instant exited = Instant.now();
            if (container.exitCode() != 0) {
                throw new IllegalStateException("the runner's container exited " + container.exitCode() + ":\n" + Files.readString(log));
            }
            return Times.of(launched, Files.readString(log), exited);
        } finally {
            container.remove();
        }
    }

    private Times jar(String name) throws IOException, InterruptedException {
        Path jar = RepositoryRoot.find().resolve("runner-image/target/etl-runner.jar");
        Path log = Files.createDirectories(work.resolve("start-jar-" + name)).resolve("runner.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAM=" + MEMORY, "-jar", jar.toString(), "run", "--run-id", name)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        env.forEach(variable -> builder.environment().put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1)));
        Instant launched = Instant.now();
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the runner's jar did not succeed:\n" + Files.readString(log));
        }
        return Times.of(launched, Files.readString(log), Instant.now());
    }

    /** Seconds from launch to the run's start, to its first batch committed, and to the process's exit. */
    record Times(double runStart, double firstBatch, double exit) {
        static Times of(Instant launched, String log, Instant exited) {
            Instant start = null;
            Instant batch = null;
            Matcher m = LOGGED.matcher(log);
            while (m.find()) {
                Instant at = OffsetDateTime.parse(m.group(1), RunnerJvm.LOG_FORMAT).toInstant();
                if (m.group(2).endsWith("starts")) {
                    start = start == null ? at : start;
                } else {
                    batch = batch == null ? at : batch;
                }
            }
            if (start == null || batch == null) {
                throw new IllegalStateException("no run start or first batch in the runner's log:\n" + log);
            }
            return new Times(seconds(launched, start), seconds(launched, batch), seconds(launched, exited));
        }

        static Times median(List<Times> all) {
            return new Times(middle(all.stream().map(Times::runStart).toList()), middle(all.stream().map(Times::firstBatch).toList()),
                    middle(all.stream().map(Times::exit).toList()));
        }

        Map<String, Object> asMap() {
            return Map.of("runStartSeconds", runStart, "firstBatchSeconds", firstBatch, "exitSeconds", exit);
        }

        private static double middle(List<Double> values) {
            return values.stream().sorted().toList().get(values.size() / 2);
        }

        private static double seconds(Instant from, Instant to) {
            return Duration.between(from, to).toMillis() / 1000.0;
        }
    }
}
