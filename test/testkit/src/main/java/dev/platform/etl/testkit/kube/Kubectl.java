package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real kubectl, built with the control plane, as a cluster administrator. */
public final class Kubectl {
    private final Path binary;
    private final Path kubeconfig;

    public Kubectl(Path binary, Path kubeconfig) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
    }

    /** Runs {@code kubectl ARGS}; fails with its output when it exits non-zero. */
    public String run(String... args) {
        return Processes.run(command(args));
    }

    /** Runs {@code kubectl ARGS} and returns its exit code and output, for commands expected to fail. */
    public Processes.Result attempt(String... args) {
        return Processes.execute(command(args));
    }

    /**
     * {@code kubectl ARGS} for a plugin found in {@code pluginDirectory}: as users run one, on PATH,
     * with the kubeconfig in {@code KUBECONFIG} (kubectl passes its own flags to no plugin).
     */
    public Processes.Result plugin(Path pluginDirectory, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return Processes.execute(command, Map.of("PATH", pluginDirectory + ":" + System.getenv("PATH"), "KUBECONFIG", kubeconfig.toString()));
    }

    /** {@code kubectl apply -f} of the given manifest text. */
    public String apply(String manifest) {
        return withFile(manifest, file -> run("apply", "-f", file.toString()));
    }

    /** {@code kubectl apply -n NAMESPACE -f} of the given manifest text. */
    public String applyIn(String namespace, String manifest) {
        return withFile(manifest, file -> run("apply", "-n", namespace, "-f", file.toString()));
    }

    /** {@code kubectl apply --dry-run=server --validate=strict -f}: the API server checks every object and stores none. */
    public String applyDryRun(String manifest) {
        return withFile(manifest, file -> run("apply", "--dry-run=server", "--validate=strict", "-f", file.toString()));
    }

    /** {@code kubectl apply -f}, which may be refused: the exit code and kubectl's message. */
    public Processes.Result tryApply(String manifest) {
        return withFile(manifest, file -> attempt("apply", "-f", file.toString()));
    }

    private <T> T withFile(String manifest, java.util.function.Function<Path, T> action) {
        try {
            Path file = Files.createTempFile("manifest", ".yaml");
            try {
                Files.writeString(file, manifest);
                return action.apply(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return command;
    }
}
