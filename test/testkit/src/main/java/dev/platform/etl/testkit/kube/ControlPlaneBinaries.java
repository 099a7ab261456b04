package dev.platform.etl.testkit.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl are: the
 * directory that {@code test/controlplane/build.sh} prints after building them once from their pinned
 * Go modules (or that {@code ETL_KUBE_BINARIES} names, for prebuilt binaries).
 */
public record ControlPlaneBinaries(Path directory) {
    public static final String BUILD_SCRIPT = "test/controlplane/build.sh";

    public Path etcd() {
        return directory.resolve("etcd");
    }

    public Path apiServer() {
        return directory.resolve("kube-apiserver");
    }

    public Path controllerManager() {
        return directory.resolve("kube-controller-manager");
    }

    public Path scheduler() {
        return directory.resolve("kube-scheduler");
    }

    public Path kubectl() {
        return directory.resolve("kubectl");
    }

    /** Runs the build script (instant once cached; its progress goes to this JVM's stderr). */
    public static ControlPlaneBinaries locate() {
        Path script = RepositoryRoot.find().resolve(BUILD_SCRIPT);
        try {
            Process process = new ProcessBuilder(List.of("bash", script.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "); see its output above");
            }
            String[] lines = output.split("\n");
            Path directory = Path.of(lines[lines.length - 1]);
            if (!Files.isExecutable(directory.resolve("kube-apiserver"))) {
                throw new IllegalStateException(script + " printed " + directory + ", which holds no kube-apiserver");
            }
            return new ControlPlaneBinaries(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the control plane", e);
        }
    }
}
