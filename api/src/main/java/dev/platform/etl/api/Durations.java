package dev.platform.etl.api;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes users write them: {@code 500ms}, {@code 1s}, {@code 5m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,12})(ms|s|m|h)");
    /** Longer than anything a pipeline waits for, and short enough for every field's milliseconds. */
    public static final Duration MAX = Duration.ofDays(365);

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not a duration of at most {@link #MAX} */
    public static Duration parse(String text) {
        return parsed(text).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 1s, 5m or 1h"
                + " (at most " + MAX.toDays() + " days)"));
    }

    public static boolean isValid(String text) {
        return parsed(text).isPresent();
    }

    /** A valid duration that is more than zero. */
    public static boolean isPositive(String text) {
        return parsed(text).filter(d -> !d.isZero()).isPresent();
    }

    private static Optional<Duration> parsed(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        return duration.compareTo(MAX) <= 0 ? Optional.of(duration) : Optional.empty();
    }
}
