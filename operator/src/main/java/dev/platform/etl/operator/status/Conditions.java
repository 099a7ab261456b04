package dev.platform.etl.operator.status;

import dev.platform.etl.api.status.EtlPipelineStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes-style conditions: one per type, their transition time kept while their status holds. */
public final class Conditions {
    public static final String VALID = "Valid";
    public static final String RUNNING = "Running";

    private Conditions() {
    }

    public static void set(EtlPipelineStatus status, String type, boolean value, String reason, String message,
                           long generation, Instant now) {
        String text = value ? "True" : "False";
        Optional<Condition> existing = find(status, type);
        String transition = existing.filter(c -> text.equals(c.getStatus())).map(Condition::getLastTransitionTime).orElse(now.toString());
        status.getConditions().removeIf(c -> type.equals(c.getType()));
        status.getConditions().add(new ConditionBuilder()
                .withType(type).withStatus(text).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(transition)
                .build());
    }

    public static Optional<Condition> find(EtlPipelineStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Whether the condition already says exactly this (so an Event about it was already sent). */
    public static boolean says(EtlPipelineStatus status, String type, boolean value, String message) {
        return find(status, type).filter(c -> (value ? "True" : "False").equals(c.getStatus()))
                .filter(c -> Objects.equals(message, c.getMessage())).isPresent();
    }
}
