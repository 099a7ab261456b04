package dev.platform.etl.api.pod;

import java.util.List;
import java.util.Map;

/**
 * How the operator and the runner log, from {@value #LEVEL} and {@value #FORMAT}, which their
 * logback.xml reads: a level, and text lines or one JSON object a line, in lower case. Checked
 * when the process starts, because logback takes a misspelt value silently (and logs nothing, or
 * everything).
 */
public record LogSettings(String level, String format) {
    public static final String LEVEL = "ETL_LOG_LEVEL";
    public static final String FORMAT = "ETL_LOG_FORMAT";
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
    private static final List<String> FORMATS = List.of("text", "json");
    public static final LogSettings DEFAULT = new LogSettings("info", "text");

    public LogSettings {
        check("the log level", level, LEVELS);
        check("the log format", format, FORMATS);
    }

    /**
     * From {@code <prefix>LOG_LEVEL} and {@code <prefix>LOG_FORMAT}: prefix ETL_ for the process's
     * own, ETL_RUNNER_ for its runners'. A value not allowed is an error that names the variable.
     */
    public static LogSettings fromEnvironment(Map<String, String> env, String prefix) {
        String level = env.getOrDefault(prefix + "LOG_LEVEL", DEFAULT.level());
        String format = env.getOrDefault(prefix + "LOG_FORMAT", DEFAULT.format());
        check(prefix + "LOG_LEVEL", level, LEVELS);
        check(prefix + "LOG_FORMAT", format, FORMATS);
        return new LogSettings(level, format);
    }

    private static void check(String what, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' is not one of " + String.join(", ", allowed));
        }
    }
}
