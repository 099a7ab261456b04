package dev.platform.etl.testkit.container;

import java.nio.file.Path;

/** One container under {@link Runc}: the {@code runc run} process in front of it, which exits with its exit code. */
public final class Container implements ContainerProcess {
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

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public int exitCode() {
        return process.exitValue();
    }

    /** SIGTERM, to the container's process. */
    @Override
    public void terminate() {
        runc.signal(id, "TERM");
    }

    /** SIGKILL, to the container's process: killing {@code runc run} instead would leave it running, orphaned. */
    @Override
    public void kill() {
        runc.signal(id, "KILL");
    }

    /** Deletes the container and its bundle; its log stays. */
    @Override
    public void remove() {
        runc.remove(id, bundle);
    }

    @Override
    public ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public String containerId() {
        return "runc://" + id;
    }
}
