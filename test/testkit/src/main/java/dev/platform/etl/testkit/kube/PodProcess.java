package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.container.ContainerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One pod's container as a local process, as the {@link ProcessKubelet} runs it: its log, its
 * termination-message file, the host ports its container ports were given, and what the kubelet
 * has done to it so far.
 */
final class PodProcess {
    final String uid;
    final String namespace;
    final String name;
    final String container;
    final String image;
    final Path directory;
    final Map<Integer, Integer> hostPorts;
    ContainerProcess process;
    /** Its address, as {@code status.podIP} says (see {@link PodNetwork}). */
    String ip = PodNetwork.LOOPBACK;
    Instant startedAt;
    /** When a container that restarts exited; it starts again after a short backoff. */
    Instant exitedAt;
    int restarts;
    boolean ready;
    /** SIGTERM sent; SIGKILL follows at {@link #killAt}. */
    boolean stopping;
    Instant killAt;
    /** Its final status is written; nothing more happens to it. */
    boolean done;
    String lastWaitingMessage;
    /** The image pulls that failed, the last one's error, and until when the next waits (see {@link ImagePulls}). */
    int pullFailures;
    String lastPullError;
    Instant pullBackOffUntil;

    PodProcess(String uid, String namespace, String name, String container, String image, Path directory, Map<Integer, Integer> hostPorts) {
        this.uid = uid;
        this.namespace = namespace;
        this.name = name;
        this.container = container;
        this.image = image;
        this.directory = directory;
        this.hostPorts = hostPorts;
    }

    Path log() {
        return directory.resolve(container + ".log");
    }

    Path terminationLog() {
        return directory.resolve("termination-log");
    }

    boolean alive() {
        return process != null && process.alive();
    }

    boolean exited() {
        return process != null && !process.alive();
    }

    /**
     * The container's termination message: the file it wrote (at most 4 KiB, as the kubelet reads),
     * or with {@code FallbackToLogsOnError} and a failure, the end of its log.
     */
    String terminationMessage(boolean fallbackToLogs, int exitCode) {
        try {
            String message = Files.exists(terminationLog()) ? Files.readString(terminationLog(), StandardCharsets.UTF_8) : "";
            if (message.length() > 4096) {
                message = message.substring(0, 4096);
            }
            if (message.isBlank() && fallbackToLogs && exitCode != 0 && Files.exists(log())) {
                List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
                message = tail.length() > 2048 ? tail.substring(tail.length() - 2048) : tail;
            }
            return message;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
