package dev.platform.etl.runner.support;

import dev.platform.etl.runner.cli.EtlRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** The runner as a separate JVM, with this test's classpath: killable, signalable, memory-limited. */
public final class RunnerProcess {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private RunnerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static RunnerProcess start(List<String> jvmOptions, List<String> args, Map<String, String> environment, Path directory) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EtlRunner.class.getName()));
        command.addAll(args);
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path out = directory.resolve("runner-" + id + ".out");
        Path err = directory.resolve("runner-" + id + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        try {
            return new RunnerProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to end by itself, at most {@code timeout}. */
    public RunOutput await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("runner did not finish within " + timeout + "; stderr:\n" + read(stderr));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new RunOutput(process.exitValue(), read(stdout), read(stderr));
    }

    /** Waits until the runner has reached a point; if it ends or never gets there, the failure says what it logged. */
    public void awaitReached(String what, Callable<Boolean> reached) {
        try {
            Awaitility.await(what).atMost(Duration.ofMinutes(2)).failFast("the runner ended", this::finished).until(reached);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(what + ": not reached; the runner logged:\n" + stderrSoFar(), e);
        }
    }

    public boolean finished() {
        return !process.isAlive();
    }

    public String stderrSoFar() {
        return read(stderr);
    }

    /** SIGKILL, as a node failure would. */
    public void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM, as a pod deletion would. */
    public void terminate() {
        process.destroy();
    }

    /** SIGSTOP: the process stands still, its connections open, as a stalled or partitioned one would. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT, after {@link #freeze}. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + exit);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
