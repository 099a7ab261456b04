package dev.platform.etl.operator.job;

import dev.platform.etl.api.status.EtlPipelineStatus;
import java.util.HashMap;
import java.util.Map;

/** Labels on runner Jobs and their pods (informers select on them, and map them back to their pipeline), and the Jobs' annotations. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "etl-operator";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String RUNNER = "etl-runner";
    public static final String PIPELINE = "etl.platform.dev/pipeline";
    public static final String RUN = "etl.platform.dev/run";
    /** Annotations of a runner Job: the run request and schedule tick its run handles, restored when the Job is adopted. */
    public static final String RUN_REQUEST = "etl.platform.dev/run-request";
    public static final String SCHEDULE_TICK = "etl.platform.dev/schedule-tick";
    /** The selector of every runner Job and pod (an equality selector, which every API server supports). */
    public static final String SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    static Map<String, String> forRun(String pipeline, long run) {
        return Map.of(MANAGED_BY, OPERATOR, NAME, RUNNER, PIPELINE, pipeline, RUN, String.valueOf(run));
    }

    /** What the run recorded in status handles, so that an operator that lost that status can restore it from the Job. */
    static Map<String, String> handledBy(EtlPipelineStatus status) {
        Map<String, String> annotations = new HashMap<>();
        String runRequest = status == null ? null
                : status.getCurrentRun() != null && status.getCurrentRun().getRunRequest() != null ? status.getCurrentRun().getRunRequest()
                : status.getHandledRunRequest();
        if (runRequest != null) {
            annotations.put(RUN_REQUEST, runRequest);
        }
        if (status != null && status.getLastScheduledTime() != null) {
            annotations.put(SCHEDULE_TICK, status.getLastScheduledTime());
        }
        return annotations;
    }
}
