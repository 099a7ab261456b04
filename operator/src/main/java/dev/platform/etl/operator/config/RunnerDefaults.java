package dev.platform.etl.operator.config;

import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.api.pod.PodEnvironment;
import java.util.Map;

/**
 * How the operator builds runner Jobs.
 *
 * @param serviceAccount     empty: the namespace's default ServiceAccount, which exists in every namespace
 * @param gracePeriodSeconds long enough for the runner to finish a batch after SIGTERM
 * @param backoffLimit       pod attempts after a crash or a deleted pod, before the run fails
 * @param jobHistory         finished Jobs kept per pipeline (with their pods and logs); older ones are deleted. At least
 *                           1: the Job of the run just closed stays until its result is surely in status
 * @param pod                what the platform team adds to every runner pod (scheduling, labels, securityContext, env)
 * @param logs               the runners' log level and format (ETL_RUNNER_LOG_LEVEL, ETL_RUNNER_LOG_FORMAT)
 */
public record RunnerDefaults(String image, String imagePullPolicy, String serviceAccount, int backoffLimit, long gracePeriodSeconds,
                             String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit,
                             String leaseTtl, String leaseHeartbeat, int jobHistory, RunnerPodTemplate pod,
                             LogSettings logs) {

    public RunnerDefaults {
        if (jobHistory < 1) {
            throw new IllegalArgumentException("ETL_RUNNER_JOB_HISTORY (runner.jobHistory) must be at least 1, got " + jobHistory);
        }
    }

    public static RunnerDefaults fromEnvironment(Map<String, String> env) {
        return new RunnerDefaults(
                env.getOrDefault("ETL_RUNNER_IMAGE", "ghcr.io/etl-platform/etl-runner:0.1.0"),
                env.getOrDefault("ETL_RUNNER_IMAGE_PULL_POLICY", "IfNotPresent"),
                env.getOrDefault("ETL_RUNNER_SERVICE_ACCOUNT", ""),
                EnvironmentValues.integer(env, "ETL_RUNNER_BACKOFF_LIMIT", "6"),
                EnvironmentValues.integer(env, "ETL_RUNNER_GRACE_PERIOD_SECONDS", "120"),
                env.getOrDefault("ETL_RUNNER_CPU_REQUEST", "250m"),
                env.getOrDefault("ETL_RUNNER_MEMORY_REQUEST", "256Mi"),
                env.getOrDefault("ETL_RUNNER_CPU_LIMIT", "1"),
                env.getOrDefault("ETL_RUNNER_MEMORY_LIMIT", "512Mi"),
                env.getOrDefault("ETL_RUNNER_LEASE_TTL", PodEnvironment.DEFAULT_LEASE_TTL),
                env.getOrDefault("ETL_RUNNER_LEASE_HEARTBEAT", PodEnvironment.DEFAULT_LEASE_HEARTBEAT),
                EnvironmentValues.integer(env, "ETL_RUNNER_JOB_HISTORY", "3"),
                RunnerPodTemplate.fromEnvironment(env),
                LogSettings.fromEnvironment(env, "ETL_RUNNER_"));
    }
}
