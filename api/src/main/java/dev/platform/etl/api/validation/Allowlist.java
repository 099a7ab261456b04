package dev.platform.etl.api.validation;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The targets a pipeline may write, from the operator's configuration. Unset means nothing is
 * allowed: a writable target must always be named on purpose.
 */
public record Allowlist(Set<String> postgresTables, Set<String> elasticsearchIndices) {
    public static final String POSTGRES_TABLES_ENV = "ETL_ALLOWED_POSTGRES_TABLES";
    public static final String ELASTICSEARCH_INDICES_ENV = "ETL_ALLOWED_ELASTICSEARCH_INDICES";

    public static Allowlist fromEnvironment(Map<String, String> env) {
        return new Allowlist(split(env.get(POSTGRES_TABLES_ENV)), split(env.get(ELASTICSEARCH_INDICES_ENV)));
    }

    public static Allowlist fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public boolean allowsTable(String qualifiedTable) {
        return postgresTables.contains(qualifiedTable);
    }

    public boolean allowsIndex(String index) {
        return elasticsearchIndices.contains(index);
    }

    private static Set<String> split(String commaSeparated) {
        if (commaSeparated == null) {
            return Set.of();
        }
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
