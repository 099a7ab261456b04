package dev.platform.etl.testkit.container;

import java.nio.file.Path;

/** One container under {@link Runc}: the {@code runc run} process in front of it, which exits with its exit code. */
public final class Container {
    private final Runc runc;
    private final String id;
    private final Path bundle;
    private final Process process;

    Container(Runc runc, String id, Path bundle, Process process) {
        this.runc = runc;
        this.id = id;
        this.bundle = bundle;
        this.process = process;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Its exit code: 128 plus the signal's number when a signal ended it. */
    public int exitCode() {
        return process.exitValue();
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGTERM, to the container's process: runc run passes it on. */
    public void terminate() {
        runc.signal(id, "TERM");
    }

    /** SIGKILL. Killing {@code runc run} instead would leave the container running without it. */
    public void kill() {
        runc.signal(id, "KILL");
    }

    /** Deletes the container and its bundle; its log stays. */
    public void remove() {
        runc.remove(id, bundle);
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }
}
