package dev.platform.etl.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;

/** What a result was measured on, written beside it. */
public final class Machine {
    private Machine() {
    }

    public static Map<String, Object> describe() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return Map.of("cores", Runtime.getRuntime().availableProcessors(), "memoryGiB", Math.round(memory / (1024.0 * 1024 * 1024)),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }
}
