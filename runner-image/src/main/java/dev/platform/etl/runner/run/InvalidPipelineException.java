package dev.platform.etl.runner.run;

import dev.platform.etl.api.validation.Violation;
import java.util.List;

/** The pipeline cannot run as written; nothing has been read or written. */
final class InvalidPipelineException extends Exception {
    private final transient List<Violation> violations;

    InvalidPipelineException(List<Violation> violations) {
        super(violations.toString());
        this.violations = List.copyOf(violations);
    }

    static void throwIfAny(List<Violation> violations) throws InvalidPipelineException {
        if (!violations.isEmpty()) {
            throw new InvalidPipelineException(violations);
        }
    }

    List<Violation> violations() {
        return violations;
    }
}
