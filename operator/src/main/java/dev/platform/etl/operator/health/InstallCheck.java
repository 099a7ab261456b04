package dev.platform.etl.operator.health;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check}, what {@code helm test} runs: the operator's image under the operator's own
 * ServiceAccount. It passes when the EtlPipeline API answers in every watched namespace (or in
 * all), and, with leader election on, a replica holds the Lease and renewed it within the Lease's
 * duration. It asks again for up to a minute, since a replica just started may not lead yet.
 */
public final class InstallCheck {
    private static final Duration PATIENCE = Duration.ofMinutes(1);
    private static final Duration PAUSE = Duration.ofSeconds(2);
    private static final String FAILED = "FAILED: ";

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final Clock clock;

    public InstallCheck(KubernetesClient client, OperatorConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    /** 0 when every check passed, 1 otherwise; what was found goes to {@code out}. */
    public int run(PrintStream out) throws InterruptedException {
        Instant deadline = clock.instant().plus(PATIENCE);
        List<String> findings = findings();
        while (failed(findings) && clock.instant().isBefore(deadline)) {
            Thread.sleep(PAUSE.toMillis());
            findings = findings();
        }
        findings.forEach(out::println);
        return failed(findings) ? 1 : 0;
    }

    /**
     * What the operator checks before it starts: the EtlPipeline API answers where it watches. One
     * line a failure (an API server that does not answer, no CRD, no RBAC), instead of the stack
     * traces its informers would log.
     */
    public List<String> startFailures() {
        return pipelineFindings().stream().filter(f -> f.startsWith(FAILED)).map(f -> f.substring(FAILED.length())).toList();
    }

    /** One line a check, "ok: …" or "FAILED: …". */
    List<String> findings() {
        List<String> findings = new ArrayList<>(pipelineFindings());
        if (config.leaderElection() != null) {
            findings.add(leader(config.leaderElection()));
        }
        return findings;
    }

    private List<String> pipelineFindings() {
        if (config.watchNamespaces().isEmpty()) {
            return List.of(pipelines(null));
        }
        return config.watchNamespaces().stream().sorted().map(this::pipelines).toList();
    }

    private String pipelines(String namespace) {
        String where = namespace == null ? "all namespaces" : "namespace " + namespace;
        try {
            var resources = client.resources(EtlPipeline.class);
            int count = (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace)).list().getItems().size();
            return "ok: " + count + " EtlPipeline(s) in " + where;
        } catch (KubernetesClientException e) {
            return FAILED + "cannot list EtlPipelines in " + where + ": " + why(e);
        }
    }

    private String why(KubernetesClientException e) {
        if (e.getCode() > 0) {
            return "HTTP " + e.getCode() + " from " + client.getMasterUrl() + ": is the CRD installed, and the RBAC of this release?";
        }
        return "the API server at " + client.getMasterUrl() + " does not answer (" + causes(e) + ")";
    }

    /** The causes below the client's own exception, e.g. {@code ConnectException: UnresolvedAddressException}. */
    private static String causes(Throwable e) {
        List<String> causes = new ArrayList<>();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null || cause.getClass() != IOException.class) {
                causes.add(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            }
        }
        return causes.isEmpty() ? e.getMessage() : String.join(": ", causes);
    }

    private String leader(OperatorConfig.LeaderElection election) {
        String lease = "Lease " + election.namespace() + "/" + election.leaseName();
        Lease found;
        try {
            found = client.leases().inNamespace(election.namespace()).withName(election.leaseName()).get();
        } catch (KubernetesClientException e) {
            return FAILED + "cannot read the " + lease + " (HTTP " + e.getCode() + ")";
        }
        if (found == null || found.getSpec().getHolderIdentity() == null || found.getSpec().getRenewTime() == null) {
            return FAILED + "no replica holds the " + lease + ": is the operator's Deployment running?";
        }
        Duration since = Duration.between(found.getSpec().getRenewTime().toInstant(), clock.instant());
        Duration valid = Duration.ofSeconds(found.getSpec().getLeaseDurationSeconds());
        if (since.compareTo(valid) > 0) {
            return FAILED + "" + found.getSpec().getHolderIdentity() + " holds the " + lease + " but last renewed it "
                    + since.toSeconds() + " s ago, more than its " + valid.toSeconds() + " s";
        }
        return "ok: " + found.getSpec().getHolderIdentity() + " leads (" + lease + ", renewed " + Math.max(0, since.toSeconds()) + " s ago)";
    }

    private static boolean failed(List<String> findings) {
        return findings.stream().anyMatch(f -> f.startsWith(FAILED));
    }
}
