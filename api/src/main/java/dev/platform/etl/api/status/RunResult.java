package dev.platform.etl.api.status;

/** How one run ended; the runner's exit code follows from it. */
public enum RunResult {
    SUCCEEDED(0), PAUSED(0), FAILED(1), INVALID(2), SKIPPED(3);

    private final int exitCode;

    RunResult(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
