package dev.platform.etl.runner.source;

/**
 * One column of the reader's output (or of the rows after the transforms).
 *
 * @param type         its PostgreSQL type name, as the driver reports it (e.g. {@code timestamptz}, {@code _int4})
 * @param declaredType its type as SQL declares it, with the modifiers of a table column it comes straight from
 *                     (e.g. {@code numeric(10,2)}, {@code integer[]}): what a created table or added column gets
 */
public record Column(String name, String type, String declaredType) {
    /** The type of a NULL constant, which fits a column of any type. */
    public static final String NULL_TYPE = "unknown";

    /** A column whose declared type is its type name. */
    public Column(String name, String type) {
        this(name, type, type);
    }
}
