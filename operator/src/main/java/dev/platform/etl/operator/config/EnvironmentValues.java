package dev.platform.etl.operator.config;

import dev.platform.etl.api.Durations;
import java.time.Duration;
import java.util.Map;

/** Numbers and durations read from the operator's environment; a bad one is refused naming its variable. */
final class EnvironmentValues {
    private EnvironmentValues() {
    }

    static int integer(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a whole number");
        }
    }

    static Duration duration(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback);
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a duration: " + e.getMessage());
        }
    }
}
