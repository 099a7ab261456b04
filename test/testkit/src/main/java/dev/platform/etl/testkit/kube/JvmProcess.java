package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.container.ContainerProcess;

/** A pod's container played by a local JVM of the project's jar (where runc or root is missing). */
record JvmProcess(Process process) implements ContainerProcess {
    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public int exitCode() {
        return process.exitValue();
    }

    @Override
    public void terminate() {
        process.destroy();
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void remove() {
    }

    @Override
    public ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public String containerId() {
        return "process://" + process.pid();
    }
}
