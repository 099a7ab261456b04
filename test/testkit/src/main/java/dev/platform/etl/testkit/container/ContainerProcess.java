package dev.platform.etl.testkit.container;

/** A pod's running container, whatever runs it: a runc container, or a local JVM. */
public interface ContainerProcess {
    boolean alive();

    /** Its exit code, once it has exited: 128 plus the signal's number when a signal ended it. */
    int exitCode();

    /** SIGTERM. */
    void terminate();

    /** SIGKILL. */
    void kill();

    /** Frees what it held once it has exited (a runc container's state and bundle). */
    void remove();

    /** The process the kubelet started, to wait for its exit. */
    ProcessHandle handle();

    /** Its {@code containerID} in the pod's status, {@code <runtime>://<id>}. */
    String containerId();
}
