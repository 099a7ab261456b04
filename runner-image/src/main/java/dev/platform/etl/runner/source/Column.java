package dev.platform.etl.runner.source;

/** One column of the reader's output: its name and PostgreSQL type name (e.g. {@code timestamptz}). */
public record Column(String name, String type) {
}
