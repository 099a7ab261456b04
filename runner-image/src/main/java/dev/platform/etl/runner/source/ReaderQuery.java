package dev.platform.etl.runner.source;

import dev.platform.etl.api.Identifiers;
import dev.platform.etl.api.validation.Violation;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.postgresql.core.Parser;

/**
 * SQL around the user's query. The query becomes a subquery on every path (describe, stream,
 * keyset pages), so its output columns are what the keyset sees and it can only be read from;
 * PostgreSQL flattens it, so an index on the keyset columns is used.
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

    /** The user's query as the one subquery of a SELECT: how every path runs it. */
    public static String wrapped(String query) {
        return "SELECT * FROM (" + normalize(query) + "\n) AS " + ALIAS;
    }

    /**
     * Why the query cannot be run, if it is more than one statement: the driver would send each
     * statement it finds on its own, and a {@code COMMIT} among them would end the read-only
     * transaction. The query is split exactly as the driver splits it, alone and as
     * {@link #wrapped}: a query that closes the subquery's parenthesis itself must not smuggle a
     * statement out of it. How the driver reads {@code \'} follows the session's
     * {@code standard_conforming_strings}, which the query itself could change between two
     * executions, so the query must be one statement under both readings.
     */
    public static Optional<Violation> moreThanOneStatement(String field, String query) {
        for (String sql : List.of(normalize(query), wrapped(query))) {
            for (boolean standardConformingStrings : new boolean[] {true, false}) {
                int statements;
                try {
                    statements = Parser.parseJdbcSql(sql, standardConformingStrings, false, true, false, false).size();
                } catch (SQLException e) {
                    return Optional.of(new Violation(field, "cannot be parsed: " + e.getMessage()));
                }
                if (statements != 1) {
                    return Optional.of(new Violation(field, "must be exactly one SELECT statement, but the driver reads "
                            + statements + " statements in it" + (standardConformingStrings ? "" : " when backslashes escape quotes")
                            + " (a ';' ends a statement)"));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One page of a keyset scan: rows after the given key (when {@code after}), below the
     * horizon on the first key column (when {@code bounded}), up to the end of a range on the
     * last key column (when {@code capped}), in key order, at most {@code LIMIT ?}.
     */
    public static String page(String query, List<String> keyColumns, boolean after, boolean bounded, boolean capped) {
        List<String> keys = keyColumns.stream().map(c -> ALIAS + "." + Identifiers.quote(c)).toList();
        StringBuilder sql = new StringBuilder(wrapped(query));
        String conjunction = " WHERE ";
        if (after) {
            String placeholders = keys.stream().map(k -> "?").collect(Collectors.joining(", "));
            sql.append(conjunction).append('(').append(String.join(", ", keys)).append(") > (").append(placeholders).append(')');
            conjunction = " AND ";
        }
        if (bounded) {
            sql.append(conjunction).append(keys.get(0)).append(" < ?");
            conjunction = " AND ";
        }
        if (capped) {
            sql.append(conjunction).append(keys.get(keys.size() - 1)).append(" <= ?");
        }
        return sql.append(" ORDER BY ").append(String.join(", ", keys)).append(" LIMIT ?").toString();
    }

    /**
     * The values of {@code keyColumn} that split the reader's output into ranges of about equal
     * size: {@code percentile_disc} at the fractions bound as {@code ?} (a float8[]), as text.
     */
    public static String splitPoints(String query, String keyColumn) {
        return "SELECT unnest(percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY " + ALIAS + "." + Identifiers.quote(keyColumn)
                + "))::text FROM (" + normalize(query) + "\n) AS " + ALIAS;
    }
}
