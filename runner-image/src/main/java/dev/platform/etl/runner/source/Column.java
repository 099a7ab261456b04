package dev.platform.etl.runner.source;

/** One column of the reader's output: its name and PostgreSQL type name (e.g. {@code timestamptz}). */
public record Column(String name, String type) {
    /** The type of a NULL constant, which fits a column of any type. */
    public static final String NULL_TYPE = "unknown";
}
