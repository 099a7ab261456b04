package dev.platform.etl.runner.support;

import java.util.List;

/** Options for child runner JVMs: small and quick to start, like a pod's. */
public final class Jvm {
    public static final List<String> SMALL = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private Jvm() {
    }
}
