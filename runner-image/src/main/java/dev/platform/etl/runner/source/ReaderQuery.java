package dev.platform.etl.runner.source;

import dev.platform.etl.api.Identifiers;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL around the user's query. The query becomes a subquery, so its output columns are what the
 * keyset sees; PostgreSQL flattens it, so an index on the keyset columns is used.
 */
public final class ReaderQuery {
    static final String ALIAS = "etl_source";

    private ReaderQuery() {
    }

    /** The user's query without a trailing semicolon. */
    public static String normalize(String query) {
        String trimmed = query.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).stripTrailing();
        }
        return trimmed;
    }

    /**
     * One page of a keyset scan: rows after the given key (when {@code after}), below the
     * horizon on the first key column (when {@code bounded}), in key order, at most {@code LIMIT ?}.
     */
    public static String page(String query, List<String> keyColumns, boolean after, boolean bounded) {
        List<String> keys = keyColumns.stream().map(c -> ALIAS + "." + Identifiers.quote(c)).toList();
        StringBuilder sql = new StringBuilder("SELECT * FROM (").append(normalize(query)).append("\n) AS ").append(ALIAS);
        String conjunction = " WHERE ";
        if (after) {
            String placeholders = keys.stream().map(k -> "?").collect(Collectors.joining(", "));
            sql.append(conjunction).append('(').append(String.join(", ", keys)).append(") > (").append(placeholders).append(')');
            conjunction = " AND ";
        }
        if (bounded) {
            sql.append(conjunction).append(keys.get(0)).append(" < ?");
        }
        return sql.append(" ORDER BY ").append(String.join(", ", keys)).append(" LIMIT ?").toString();
    }
}
