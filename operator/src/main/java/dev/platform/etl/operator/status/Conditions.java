package dev.platform.etl.operator.status;

import dev.platform.etl.api.status.EtlPipelineStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline's conditions, in the kstatus style that {@code kubectl wait --for=condition=...} and
 * GitOps tools read: one per type, always present, each with the generation it speaks for, its
 * transition time kept while its status holds.
 */
final class Conditions {
    /** Valid and able to run: nothing stands in the way but a run request or the schedule. */
    static final String READY = "Ready";
    /** A run is in progress. */
    static final String RECONCILING = "Reconciling";
    /** No progress without a change by a user: an invalid spec, a pod that cannot start. */
    static final String STALLED = "Stalled";
    static final String SUSPENDED = "Suspended";
    static final String LAST_RUN_SUCCEEDED = "LastRunSucceeded";
    /** Types older operators wrote, which these replace. */
    private static final Set<String> RETIRED = Set.of("Valid", "Running");

    static final String TRUE = "True";
    static final String FALSE = "False";
    static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    static void set(EtlPipelineStatus status, String type, String value, String reason, String message, long generation, Instant now) {
        String transition = find(status, type).filter(c -> value.equals(c.getStatus())).map(Condition::getLastTransitionTime)
                .orElse(now.toString());
        status.getConditions().removeIf(c -> type.equals(c.getType()) || RETIRED.contains(c.getType()));
        status.getConditions().add(new ConditionBuilder()
                .withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(transition)
                .build());
    }

    static void set(EtlPipelineStatus status, String type, boolean value, String reason, String message, long generation, Instant now) {
        set(status, type, value ? TRUE : FALSE, reason, message, generation, now);
    }

    static Optional<Condition> find(EtlPipelineStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Whether the condition already says this (so an Event about it was already sent). */
    static boolean says(EtlPipelineStatus status, String type, String value, String reason, String message) {
        return find(status, type).filter(c -> value.equals(c.getStatus())).filter(c -> Objects.equals(reason, c.getReason()))
                .filter(c -> message == null || Objects.equals(message, c.getMessage())).isPresent();
    }
}
