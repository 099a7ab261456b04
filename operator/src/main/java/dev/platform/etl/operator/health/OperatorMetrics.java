package dev.platform.etl.operator.health;

import dev.platform.etl.operator.observe.RunnerSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Runs by result and rows moved, beside the reconcile metrics java-operator-sdk records. */
public final class OperatorMetrics {
    private final MeterRegistry registry;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void runFinished(String namespace, String result, RunnerSummary summary) {
        Counter.builder("etl.runs").description("Runs finished, by result").tag("namespace", namespace).tag("result", result)
                .register(registry).increment();
        if (summary != null) {
            Counter.builder("etl.rows.read").description("Rows read by finished runs").tag("namespace", namespace)
                    .register(registry).increment(summary.rowsRead());
            Counter.builder("etl.rows.written").description("Rows written by finished runs").tag("namespace", namespace)
                    .register(registry).increment(summary.rowsWritten());
        }
    }
}
