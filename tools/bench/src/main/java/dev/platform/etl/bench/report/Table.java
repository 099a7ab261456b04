package dev.platform.etl.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table, and the number formats the performance page uses. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells under " + header.size() + " headers");
        }
        rows.add(List.of(cells));
        return this;
    }

    String markdown() {
        StringBuilder table = new StringBuilder(line(header));
        table.append(line(header.stream().map(cell -> "---").toList()));
        rows.forEach(row -> table.append(line(row)));
        return table.toString();
    }

    /** A rate, to three significant figures: 126,855.3 is {@code 127,000}. */
    static String rate(double value) {
        double magnitude = Math.pow(10, Math.max(0, Math.floor(Math.log10(Math.abs(value))) - 2));
        return String.format(Locale.ROOT, "%,d", Math.round(value / magnitude) * (long) magnitude);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String seconds(double value) {
        return String.format(Locale.ROOT, value < 1 ? "%.2f s" : "%.1f s", value);
    }

    static String mebibytes(double value) {
        return String.format(Locale.ROOT, "%.0f MiB", value);
    }

    static String count(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
