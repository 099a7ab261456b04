package dev.platform.etl.api;

import java.util.regex.Pattern;

/**
 * SQL identifiers accepted in a pipeline (tables, columns) and their quoting. Names are checked
 * against a plain pattern first, then always quoted, so nothing a user writes becomes SQL syntax.
 */
public final class Identifiers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
    private static final Pattern INDEX = Pattern.compile("[a-z0-9][a-z0-9_.\\-]{0,254}");

    private Identifiers() {
    }

    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** {@code schema.table}, both parts plain names. */
    public static boolean isQualifiedTable(String table) {
        if (table == null) {
            return false;
        }
        String[] parts = table.split("\\.", -1);
        return parts.length == 2 && isName(parts[0]) && isName(parts[1]);
    }

    /** An Elasticsearch index name: lowercase, no path or wildcard characters, not {@code .} or {@code ..}. */
    public static boolean isIndexName(String index) {
        return index != null && INDEX.matcher(index).matches() && !index.equals(".") && !index.equals("..");
    }

    public static String quote(String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("not a valid SQL identifier: " + name);
        }
        return '"' + name + '"';
    }

    public static String quoteTable(String qualifiedTable) {
        if (!isQualifiedTable(qualifiedTable)) {
            throw new IllegalArgumentException("not a schema-qualified table name: " + qualifiedTable);
        }
        int dot = qualifiedTable.indexOf('.');
        return quote(qualifiedTable.substring(0, dot)) + "." + quote(qualifiedTable.substring(dot + 1));
    }
}
