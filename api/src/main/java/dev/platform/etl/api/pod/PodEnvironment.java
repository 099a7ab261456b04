package dev.platform.etl.api.pod;

import dev.platform.etl.api.manifest.Secrets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a runner pod receives its pipeline and credentials: the operator puts the pipeline manifest
 * in {@value #PIPELINE}, and every Secret key the pipeline references in an environment variable
 * filled by {@code secretKeyRef}, named by {@link #secretVariable}. No credential ever appears in
 * the Job itself.
 */
public record PodEnvironment(Map<String, String> environment) implements Secrets {
    /** The pipeline manifest (YAML) the runner runs. */
    public static final String PIPELINE = "ETL_PIPELINE";
    private static final String SECRET_PREFIX = "ETL_SECRET_";
    /** Where the runner writes its final summary: the pod's termination message. */
    public static final String TERMINATION_LOG = "ETL_TERMINATION_LOG";
    /** How long the runner may take to finish its batch after SIGTERM, before it abandons the batch. */
    public static final String STOP_GRACE_PERIOD = "ETL_STOP_GRACE_PERIOD";
    /** How long the runner's lease lasts without a renewal, and how often it is renewed. */
    public static final String LEASE_TTL = "ETL_LEASE_TTL";
    public static final String LEASE_HEARTBEAT = "ETL_LEASE_HEARTBEAT";
    /** Their values when neither the operator nor the command line sets them. */
    public static final String DEFAULT_LEASE_TTL = "30s";
    public static final String DEFAULT_LEASE_HEARTBEAT = "10s";
    /**
     * The runner's exit code after SIGTERM (128 + 15): paused on a batch boundary, or its batch
     * abandoned when the grace period ran out. The runner Job's pod failure policy ignores it.
     */
    public static final int STOPPED_BY_SIGNAL_EXIT_CODE = 143;
    /**
     * The runner JVM's options in its pod ({@code JAVA_TOOL_OPTIONS}). The serial collector and
     * the C1 compiler alone suit a batch job on one CPU: measured on 1M rows, they halve the
     * runner's own CPU time (C2 spends more compiling than it saves), and the database is the
     * bottleneck, not the runner's code. A tenth of the usual compile thresholds: code that runs
     * once per batch is compiled after about 20 batches instead of 200, which made a 200,000-row
     * load at batch 500 about 15% faster (C1 compiles cheaply).
     */
    public static final String RUNNER_JAVA_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-XX:CompileThresholdScaling=0.1 -Djava.io.tmpdir=/tmp";

    /** {@code ETL_SECRET_<SECRET>_<KEY>}, upper case, any other character than a letter or digit as {@code _}. */
    public static String secretVariable(String secretName, String key) {
        return SECRET_PREFIX + normalize(secretName) + "__" + normalize(key);
    }

    private static String normalize(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public Optional<String> value(String secretName, String key) {
        return Optional.ofNullable(environment.get(secretVariable(secretName, key)));
    }

    @Override
    public Set<String> confidentialValues() {
        String usernameSuffix = "__" + normalize(USERNAME_KEY);
        return environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith(SECRET_PREFIX) && !e.getKey().endsWith(usernameSuffix) && !e.getValue().isBlank())
                .map(Map.Entry::getValue)
                .collect(Collectors.toUnmodifiableSet());
    }

    public Optional<String> pipelineManifest() {
        return Optional.ofNullable(environment.get(PIPELINE));
    }
}
