package dev.platform.etl.operator.health;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

    /** One line a check, "ok: …" or "FAILED: …". */
    List<String> findings() {
        List<String> findings = new ArrayList<>();
        if (config.watchNamespaces().isEmpty()) {
            findings.add(pipelines(null));
        } else {
            config.watchNamespaces().stream().sorted().map(this::pipelines).forEach(findings::add);
        }
        if (config.leaderElection() != null) {
            findings.add(leader(config.leaderElection()));
        }
        return findings;
    }

    private String pipelines(String namespace) {
        String where = namespace == null ? "all namespaces" : "namespace " + namespace;
        try {
            var resources = client.resources(EtlPipeline.class);
            int count = (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace)).list().getItems().size();
            return "ok: " + count + " EtlPipeline(s) in " + where;
        } catch (KubernetesClientException e) {
            return "FAILED: cannot list EtlPipelines in " + where + " (HTTP " + e.getCode() + "): is the CRD installed, and the RBAC of this release?";
        }
    }

    private String leader(OperatorConfig.LeaderElection election) {
        String lease = "Lease " + election.namespace() + "/" + election.leaseName();
        Lease found;
        try {
            found = client.leases().inNamespace(election.namespace()).withName(election.leaseName()).get();
        } catch (KubernetesClientException e) {
            return "FAILED: cannot read the " + lease + " (HTTP " + e.getCode() + ")";
        }
        if (found == null || found.getSpec().getHolderIdentity() == null || found.getSpec().getRenewTime() == null) {
            return "FAILED: no replica holds the " + lease + ": is the operator's Deployment running?";
        }
        Duration since = Duration.between(found.getSpec().getRenewTime().toInstant(), clock.instant());
        Duration valid = Duration.ofSeconds(found.getSpec().getLeaseDurationSeconds());
        if (since.compareTo(valid) > 0) {
            return "FAILED: " + found.getSpec().getHolderIdentity() + " holds the " + lease + " but last renewed it "
                    + since.toSeconds() + " s ago, more than its " + valid.toSeconds() + " s";
        }
        return "ok: " + found.getSpec().getHolderIdentity() + " leads (" + lease + ", renewed " + Math.max(0, since.toSeconds()) + " s ago)";
    }

    private static boolean failed(List<String> findings) {
        return findings.stream().anyMatch(f -> f.startsWith("FAILED"));
    }
}
