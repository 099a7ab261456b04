package dev.platform.etl.operator.config;

import java.time.Duration;
import java.util.Map;

/**
 * How hard the operator works the API server; {@code make bench-operator} measured the defaults
 * (docs/operations/sizing.md).
 *
 * @param threads            pipelines reconciled at once
 * @param resyncPeriod       every pipeline is reconciled at least this often, even when nothing changed
 * @param progressRefresh    how often a running run's progress is read again from its pod's log
 * @param rateLimitPerSecond at most this many reconciles of one pipeline a second (0: no limit)
 */
public record ReconcileSettings(int threads, Duration resyncPeriod, Duration progressRefresh, int rateLimitPerSecond) {

    public static ReconcileSettings fromEnvironment(Map<String, String> env) {
        return new ReconcileSettings(
                EnvironmentValues.integer(env, "ETL_RECONCILE_THREADS", "50"),
                EnvironmentValues.duration(env, "ETL_RESYNC_PERIOD", "10h"),
                EnvironmentValues.duration(env, "ETL_PROGRESS_REFRESH", "15s"),
                EnvironmentValues.integer(env, "ETL_RECONCILE_RATE_LIMIT", "0"));
    }
}
