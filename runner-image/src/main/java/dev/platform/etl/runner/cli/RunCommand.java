package dev.platform.etl.runner.cli;

import dev.platform.etl.api.Durations;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestException;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.manifest.PipelineManifests;
import dev.platform.etl.api.manifest.Secrets;
import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.range.LoadRange;
import dev.platform.etl.runner.redact.Redaction;
import dev.platform.etl.runner.retry.ErrorClassifier;
import dev.platform.etl.runner.run.PipelineRun;
import dev.platform.etl.runner.run.RunSummary;
import dev.platform.etl.runner.run.RunnerSettings;
import dev.platform.etl.runner.run.StopSignal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(name = "run", description = "Runs a pipeline once: -f files hold the EtlPipeline and the Secrets it references.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    @ParentCommand
    private EtlRunner runner;

    @Spec
    private CommandSpec command;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "kubectl-style YAML with the EtlPipeline and its Secrets (repeatable); "
                    + "without it, in a pod: the pipeline from $ETL_PIPELINE, Secrets from $ETL_SECRET_<SECRET>__<KEY>")
    private List<Path> files;

    @Option(names = "--control-db", paramLabel = "JDBC_URL",
            description = "where the control schema lives, instead of the pipeline's own database")
    private String controlDb;

    @Option(names = "--run-id", paramLabel = "ID", description = "the run this attempt belongs to (default: generated)")
    private String runId;

    @Option(names = "--range", paramLabel = "INDEX/COUNT",
            description = "read one range of a parallel full load, e.g. 0/4 (COUNT is spec.parallelism; a runner Job passes its completion index)")
    private String range;

    @Option(names = "--lease-ttl", paramLabel = "DURATION",
            description = "how long the lease lasts without a heartbeat (default: $ETL_LEASE_TTL or 30s)")
    private String leaseTtl;

    @Option(names = "--heartbeat", paramLabel = "DURATION",
            description = "how often the lease is renewed (default: $ETL_LEASE_HEARTBEAT or 10s)")
    private String heartbeat;

    @Override
    public Integer call() {
        Map<String, String> env = runner.environment();
        String id = runId != null ? runId : generatedRunId();
        RunSummary summary;
        StopSignal stop = new StopSignal();
        EtlPipeline pipeline = null;
        Redaction redaction = runner.redaction();
        try {
            PodEnvironment pod = new PodEnvironment(env);
            redaction.learn(pod.confidentialValues());
            Secrets secrets;
            if (files != null && !files.isEmpty()) {
                PipelineManifests manifests = new ManifestLoader().load(files);
                redaction.learn(manifests.confidentialValues());
                pipeline = manifests.pipeline();
                secrets = manifests;
            } else {
                pipeline = new ManifestLoader().parsePipeline(pod.pipelineManifest().orElseThrow(() -> new ManifestException(
                        "no pipeline: give -f FILE, or set " + PodEnvironment.PIPELINE)));
                secrets = pod;
            }
            Duration ttl = positiveDuration("--lease-ttl", leaseTtl != null ? leaseTtl : env.getOrDefault(PodEnvironment.LEASE_TTL, PodEnvironment.DEFAULT_LEASE_TTL));
            Duration renewal = positiveDuration("--heartbeat",
                    heartbeat != null ? heartbeat : env.getOrDefault(PodEnvironment.LEASE_HEARTBEAT, PodEnvironment.DEFAULT_LEASE_HEARTBEAT));
            if (renewal.compareTo(ttl) >= 0) {
                throw new IllegalArgumentException("the heartbeat (" + renewal.toMillis() + " ms) must be shorter than the lease TTL ("
                        + ttl.toMillis() + " ms), or the lease expires between renewals");
            }
            RunnerSettings settings = new RunnerSettings(Allowlist.fromEnvironment(env), id, holder(env), ttl, renewal, controlDb,
                    range == null ? null : LoadRange.parse(range), redaction);
            if (runner.handleSignals()) {
                String grace = env.getOrDefault(PodEnvironment.STOP_GRACE_PERIOD, "100s");
                Duration deadline = positiveDuration(PodEnvironment.STOP_GRACE_PERIOD, grace);
                Signal.handle(new Signal("TERM"), signal -> {
                    stop.request();
                    LOG.warn("SIGTERM: pausing after the batch in flight (at most {} more)", grace);
                    haltAfter(deadline, grace);
                });
            }
            summary = new PipelineRun(pipeline, secrets, settings, stop).execute();
        } catch (ManifestException | IllegalArgumentException e) {
            LOG.error("invalid input, nothing was run: {}", redaction.apply(e.getMessage()));
            summary = RunSummary.notStarted(name(pipeline), id, RunResult.INVALID, e.getMessage());
        } catch (RuntimeException e) {
            // a run ends in PipelineRun's one outcome; this is for what fails before it, and still ends with a summary
            LOG.error("the run failed unexpectedly: {}", redaction.apply(ErrorClassifier.describe(e)));
            summary = RunSummary.notStarted(name(pipeline), id, RunResult.FAILED, ErrorClassifier.describe(e));
        }
        String line = Json.line(summary.redacted(redaction));
        command.commandLine().getOut().println(line);
        command.commandLine().getOut().flush();
        writeTerminationMessage(env.get(PodEnvironment.TERMINATION_LOG), line);
        return exitCode(summary, stop);
    }

    /**
     * A run paused by SIGTERM exits 143, the code of a process ended by that signal, so that its pod
     * counts as stopped rather than succeeded: the Job then starts a replacement pod that resumes
     * from the checkpoint (after a pod deletion or a node drain), or none while it is suspended.
     */
    private static int exitCode(RunSummary summary, StopSignal stop) {
        if (summary.result() == RunResult.PAUSED && stop.requested()) {
            return PodEnvironment.STOPPED_BY_SIGNAL_EXIT_CODE;
        }
        return summary.result().exitCode();
    }

    /** In a pod, the summary also becomes the termination message, which is how the operator reads the result. */
    private static void writeTerminationMessage(String path, String summary) {
        if (path == null) {
            return;
        }
        try {
            Files.writeString(Path.of(path), summary);
        } catch (IOException e) {
            LOG.warn("could not write the termination message to {}: {}", path, e.getMessage());
        }
    }

    /**
     * A batch that cannot finish within the grace period is abandoned: the process halts, its
     * connections drop, and PostgreSQL rolls the batch back. It is never half-committed, and the
     * next run resumes from the last checkpoint.
     */
    private static void haltAfter(Duration grace, String asWritten) {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
                LOG.error("the batch in flight did not finish within {} of SIGTERM; stopping without committing it", asWritten);
                Runtime.getRuntime().halt(PodEnvironment.STOPPED_BY_SIGNAL_EXIT_CODE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    private static Duration positiveDuration(String option, String text) {
        if (!Durations.isPositive(text)) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a duration such as 500ms, 10s or 1m, more than 0");
        }
        return Durations.parse(text);
    }

    private static String name(EtlPipeline pipeline) {
        return pipeline == null ? null : pipeline.qualifiedName();
    }

    private static String generatedRunId() {
        return "run-" + ZonedDateTime.now(ZoneOffset.UTC).format(RUN_ID_TIME) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This process's name in the lease: the pod (HOSTNAME), the process id and a nonce. */
    private static String holder(Map<String, String> env) {
        String host = env.get("HOSTNAME");
        if (host == null) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
