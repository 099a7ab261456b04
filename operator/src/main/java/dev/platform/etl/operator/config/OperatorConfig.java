package dev.platform.etl.operator.config;

import dev.platform.etl.api.validation.Allowlist;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's configuration, from its environment (the Helm chart fills it).
 *
 * @param watchNamespaces   namespaces whose pipelines are reconciled; empty means all
 * @param allowlist         writable targets (ETL_ALLOWED_POSTGRES_TABLES, ETL_ALLOWED_ELASTICSEARCH_INDICES)
 * @param runner            how runner Jobs are built
 * @param reconcile         concurrency, resync, progress refresh and rate limit of the reconciler
 * @param leaderElection    the Lease that elects the active replica, or null to run without election
 * @param httpPort          health and metrics port (0: none)
 */
public record OperatorConfig(Set<String> watchNamespaces, Allowlist allowlist, RunnerDefaults runner, ReconcileSettings reconcile,
                             LeaderElection leaderElection, int httpPort) {

    /**
     * @param namespace   the operator's own namespace, where its Lease lives
     * @param exitOnLoss  exit the process when leadership is lost, so Kubernetes restarts it as a follower
     */
    public record LeaderElection(String leaseName, String namespace, boolean exitOnLoss) {
    }

    public static OperatorConfig fromEnvironment(Map<String, String> env) {
        LeaderElection election = Boolean.parseBoolean(env.getOrDefault("ETL_LEADER_ELECTION", "true"))
                ? new LeaderElection(env.getOrDefault("ETL_LEADER_ELECTION_LEASE", "etl-operator"),
                        env.getOrDefault("ETL_OPERATOR_NAMESPACE", "etl-system"), true)
                : null;
        return new OperatorConfig(
                split(env.get("ETL_WATCH_NAMESPACES")),
                Allowlist.fromEnvironment(env),
                RunnerDefaults.fromEnvironment(env),
                ReconcileSettings.fromEnvironment(env),
                election,
                EnvironmentValues.integer(env, "ETL_OPERATOR_HTTP_PORT", "8080"));
    }

    private static Set<String> split(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
