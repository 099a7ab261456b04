package dev.platform.etl.testkit.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short helper commands to completion. */
public final class Processes {
    private static final long TIMEOUT_SECONDS = 120;

    private Processes() {
    }

    /** Runs the command; fails with its output when it exits non-zero. */
    public static String run(List<String> command) {
        Result result = execute(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    public static int exitCode(List<String> command) {
        return execute(command).exitCode();
    }

    /** Runs the command to completion: its exit code and its output (stdout and stderr). */
    public static Result execute(List<String> command) {
        return execute(command, Map.of());
    }

    /** As {@link #execute(List)}, with these environment variables set or replaced. */
    public static Result execute(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + "s");
            }
            return new Result(process.exitValue(), output.trim());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    public record Result(int exitCode, String output) {
    }
}
