package dev.platform.etl.testkit.elasticsearch;

import dev.platform.etl.testkit.process.Ports;
import dev.platform.etl.testkit.process.Processes;
import dev.platform.etl.testkit.process.UnprivilegedUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Elasticsearch on loopback: security off, 512 MB heap, random free ports, its
 * data in a throw-away folder. Started as an unprivileged user when this JVM is root, since
 * Elasticsearch refuses root. It can be stopped and started again on the same ports and data.
 */
public final class ElasticsearchServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path home;
    private final Path instance;
    private final int httpPort;
    private final int transportPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private ElasticsearchServer(Path home, Path instance, int httpPort, int transportPort) {
        this.home = home;
        this.instance = instance;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
    }

    public static ElasticsearchServer start() {
        try {
            Path home = ElasticsearchDistribution.unpack();
            Path instance = Files.createTempDirectory("etl-elasticsearch");
            copyConfig(home.resolve("config"), instance.resolve("config"));
            pointJvmFilesAt(instance);
            for (String folder : List.of("tmp", "logs", "data")) {
                Files.createDirectories(instance.resolve(folder));
            }
            UnprivilegedUser.own(instance);
            ElasticsearchServer server = new ElasticsearchServer(home, instance, Ports.free(), Ports.free());
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Elasticsearch", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts it again after {@link #stop()}, on the same port and data. */
    public synchronized void startProcess() {
        List<String> command = new ArrayList<>(List.of("env",
                "ES_JAVA_HOME=" + System.getProperty("java.home"),
                "ES_JAVA_OPTS=-Xms512m -Xmx512m -XX:TieredStopAtLevel=1",
                "ES_PATH_CONF=" + instance.resolve("config"),
                "ES_TMPDIR=" + instance.resolve("tmp"),
                home.resolve("bin/elasticsearch").toString(),
                "-p", instance.resolve("es.pid").toString()));
        for (String setting : List.of(
                "discovery.type=single-node", "xpack.security.enabled=false", "network.host=127.0.0.1",
                "http.port=" + httpPort, "transport.port=" + transportPort, "cluster.name=etl-test",
                "path.data=" + instance.resolve("data"), "path.logs=" + instance.resolve("logs"),
                "cluster.routing.allocation.disk.threshold_enabled=false", "action.destructive_requires_name=false")) {
            command.add("-E");
            command.add(setting);
        }
        try {
            process = new ProcessBuilder(UnprivilegedUser.wrap(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.resolve("console.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Elasticsearch", e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited with " + process.exitValue() + ": " + consoleTail());
            }
            if (healthy()) {
                return;
            }
            try {
                process.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Elasticsearch started", e);
            }
        }
        throw new IllegalStateException("Elasticsearch did not become healthy within " + START_TIMEOUT + ": " + consoleTail());
    }

    private boolean healthy() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the node (SIGTERM) and waits until it has exited; its data stays. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            String pid = Files.readString(instance.resolve("es.pid")).trim();
            Processes.exitCode(List.of("kill", "-TERM", pid));
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                Processes.exitCode(List.of("kill", "-KILL", pid));
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        Processes.exitCode(List.of("rm", "-rf", instance.toString()));
    }

    private String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(instance.resolve("console.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no console log)";
        }
    }

    private static void copyConfig(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** jvm.options writes GC logs and heap dumps relative to the distribution, which is not ours to write. */
    private static void pointJvmFilesAt(Path instance) throws IOException {
        Path options = instance.resolve("config/jvm.options");
        Files.writeString(options, Files.readString(options)
                .replace("file=logs/", "file=" + instance.resolve("logs") + "/")
                .replace("HeapDumpPath=data", "HeapDumpPath=" + instance.resolve("data"))
                .replace("ErrorFile=logs/", "ErrorFile=" + instance.resolve("logs") + "/"));
    }

}
