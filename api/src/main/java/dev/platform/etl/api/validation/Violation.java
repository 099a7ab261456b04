package dev.platform.etl.api.validation;

/** One reason a pipeline is rejected, naming the field, e.g. {@code spec.tasks[1].target}. */
public record Violation(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
