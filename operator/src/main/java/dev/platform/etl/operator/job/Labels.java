package dev.platform.etl.operator.job;

import java.util.Map;

/** Labels on runner Jobs and their pods: informers select on them, and map them back to their pipeline. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "etl-operator";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String RUNNER = "etl-runner";
    public static final String PIPELINE = "etl.platform.dev/pipeline";
    public static final String RUN = "etl.platform.dev/run";
    /** The selector of every runner Job and pod (an equality selector, which every API server supports). */
    public static final String SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    static Map<String, String> forRun(String pipeline, long run) {
        return Map.of(MANAGED_BY, OPERATOR, NAME, RUNNER, PIPELINE, pipeline, RUN, String.valueOf(run));
    }
}
