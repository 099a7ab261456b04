package dev.platform.etl.runner.run;

import dev.platform.etl.api.Durations;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.Secrets;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.api.spec.SqlReaderTask;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.PipelineValidator;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.connect.Connections;
import dev.platform.etl.runner.control.ControlSchema;
import dev.platform.etl.runner.control.ControlStore;
import dev.platform.etl.runner.control.RunCounters;
import dev.platform.etl.runner.control.RunStatus;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseHeartbeat;
import dev.platform.etl.runner.retry.ErrorClassifier;
import dev.platform.etl.runner.retry.Retries;
import dev.platform.etl.runner.retry.Stage;
import dev.platform.etl.runner.sink.Sink;
import dev.platform.etl.runner.sink.Sinks;
import dev.platform.etl.runner.source.Horizon;
import dev.platform.etl.runner.source.PostgresSource;
import dev.platform.etl.runner.source.ReaderQuery;
import dev.platform.etl.runner.source.SourceBatch;
import dev.platform.etl.runner.source.ScanPlan;
import dev.platform.etl.runner.source.SourceReader;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one pipeline, from validation to the final summary:
 * validate (INVALID, nothing touched) → describe the reader's output and plan → migrate the
 * control schema → claim the lease (SKIPPED if held) → batches → record the result, release.
 */
public final class PipelineRun {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);
    private static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(10);

    private final EtlPipeline pipeline;
    private final EtlPipelineSpec spec;
    private final Secrets secrets;
    private final RunnerSettings settings;
    private final StopSignal stop;
    private final String name;

    public PipelineRun(EtlPipeline pipeline, Secrets secrets, RunnerSettings settings, StopSignal stop) {
        this.pipeline = pipeline;
        this.spec = pipeline.getSpec();
        this.secrets = secrets;
        this.settings = settings;
        this.stop = stop;
        this.name = pipeline.qualifiedName();
    }

    public RunSummary execute() {
        List<Violation> violations = new ArrayList<>(new PipelineValidator(settings.allowlist()).validate(pipeline));
        if (violations.isEmpty()) {
            ReaderQuery.moreThanOneStatement("spec.tasks[0].sqlReader.query", spec.getTasks().get(0).getSqlReader().getQuery())
                    .ifPresent(violations::add);
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        Connections connections;
        try {
            connections = Connections.open(spec, secrets, settings.controlDbUrl());
        } catch (Secrets.MissingSecretException e) {
            return invalid(List.of(new Violation("secretRef", e.getMessage())));
        }
        try (connections) {
            return execute(connections, Retries.from(spec.getRetry()));
        }
    }

    private RunSummary execute(Connections connections, Retries retries) {
        SqlReaderTask reader = spec.getTasks().get(0).getSqlReader();
        Duration timeout = reader.getStatementTimeout() == null ? DEFAULT_STATEMENT_TIMEOUT : Durations.parse(reader.getStatementTimeout());
        PostgresSource source = new PostgresSource(connections.source(), reader.getQuery(), timeout, spec.getBatchSize());
        ControlStore control = new ControlStore(connections.control());
        RunPlan plan;
        try {
            plan = RunPlan.of(spec, retries.call("describe the reader's output", Stage.READ, source::describe));
        } catch (Exception e) {
            return failedBeforeStart(control, retries, e);
        }
        if (!plan.violations().isEmpty()) {
            return invalid(plan.violations());
        }
        Sink sink;
        try {
            sink = retries.call("read the target's columns", Stage.WRITE,
                    () -> Sinks.forTarget(spec.effectiveTarget(), connections, plan.transform().typedOutputColumns(plan.readerColumns())));
        } catch (Exception e) {
            return failedBeforeStart(control, retries, e);
        }
        try (sink) {
            if (!sink.violations().isEmpty()) {
                return invalid(sink.violations());
            }
            return claimAndRun(plan, source, sink, control, connections, retries);
        }
    }

    private RunSummary claimAndRun(RunPlan plan, PostgresSource source, Sink sink, ControlStore control, Connections connections,
                                   Retries retries) {
        Optional<Lease> lease;
        try {
            retries.call("migrate the control schema", Stage.CONTROL, () -> {
                ControlSchema.migrate(connections.control());
                return null;
            });
            lease = retries.call("claim the lease", Stage.CONTROL,
                    () -> control.claim(name, settings.holder(), settings.runId(), settings.leaseTtl(), spec.getMode()));
        } catch (Exception e) {
            return summary(RunResult.FAILED, RunCounters.ZERO, null, "control schema unavailable: " + ErrorClassifier.describe(e));
        }
        if (lease.isEmpty()) {
            LOG.warn("{}: another runner holds the lease; skipping", name);
            return summary(RunResult.SKIPPED, RunCounters.ZERO, null, "the pipeline is running elsewhere (lease held)");
        }
        return runHolding(lease.get(), plan, source, sink, control, retries);
    }

    private RunSummary runHolding(Lease lease, RunPlan plan, PostgresSource source, Sink sink, ControlStore control, Retries retries) {
        BatchLoop.Outcome outcome;
        try (LeaseHeartbeat heartbeat = new LeaseHeartbeat(control, lease, settings.leaseTtl(), settings.heartbeat())) {
            outcome = runBatches(lease, plan, source, sink, control, retries, heartbeat);
        }
        boolean fullLoadDone = spec.getMode() == Mode.Full && outcome.status() == RunStatus.SUCCEEDED;
        try {
            retries.call("record the run's result", Stage.CONTROL, () -> {
                control.finish(lease, outcome.status(), outcome.counters(), outcome.checkpoint(), outcome.error(), fullLoadDone);
                return null;
            });
        } catch (Exception e) {
            return summary(RunResult.FAILED, outcome.counters(), outcome.checkpoint(), "could not record the result: " + ErrorClassifier.describe(e));
        }
        LOG.info("{}: run {} {}: read {}, wrote {}, {} batches", name, settings.runId(), outcome.status(),
                outcome.counters().rowsRead(), outcome.counters().rowsWritten(), outcome.counters().batches());
        return summary(RunResult.valueOf(outcome.status().name()), outcome.counters(),
                fullLoadDone ? null : outcome.checkpoint(), outcome.error());
    }

    /** Never throws: whatever goes wrong while the lease is held ends as a FAILED outcome, recorded. */
    private BatchLoop.Outcome runBatches(Lease lease, RunPlan plan, PostgresSource source, Sink sink, ControlStore control,
                                         Retries retries, LeaseHeartbeat heartbeat) {
        ScanPlan scan = null;
        try {
            scan = startScan(lease, plan, source, retries);
            try (SourceReader reader = source.open(scan, plan.readerColumns())) {
                return new BatchLoop(lease, control, plan, plan.versioned(spec), sink, retries, heartbeat, stop)
                        .run(scan.start(), readWithRetries(scan, reader, retries));
            }
        } catch (Exception | LinkageError e) {
            String error = ErrorClassifier.describe(e);
            LOG.error("{}: run failed before its first batch: {}", name, error);
            return new BatchLoop.Outcome(RunStatus.FAILED, RunCounters.ZERO, scan == null ? lease.checkpoint() : scan.start(), error);
        }
    }

    /** A keyset page can be read again after a transient failure; a streamed statement cannot. */
    private static Callable<Optional<SourceBatch>> readWithRetries(ScanPlan scan, SourceReader reader, Retries retries) {
        return scan.keyset() ? () -> retries.call("read the next batch", Stage.READ, reader::next) : reader::next;
    }

    private ScanPlan startScan(Lease lease, RunPlan plan, PostgresSource source, Retries retries) throws Exception {
        OffsetDateTime horizon = null;
        if (plan.needsHorizon()) {
            Duration lag = spec.getIncremental().getLag() == null ? null : Durations.parse(spec.getIncremental().getLag());
            horizon = retries.call("read the source's transaction horizon", Stage.READ, () -> Horizon.compute(source, lag));
        }
        ScanPlan scan = plan.scan(lease.checkpoint(), horizon);
        LOG.info("{}: run {} ({}) starts {}{}", name, settings.runId(), spec.getMode(),
                scan.start() == null ? "from the beginning" : "after checkpoint " + scan.start().asMap(),
                horizon == null ? "" : ", reading rows with cursor before " + horizon);
        return scan;
    }

    private RunSummary failedBeforeStart(ControlStore control, Retries retries, Exception cause) {
        String error = ErrorClassifier.describe(cause);
        LOG.error("{}: the reader's query failed: {}", name, error);
        try {
            retries.call("record the failed run", Stage.CONTROL, () -> {
                ControlSchema.migrate(control.dataSource());
                control.recordFailedRun(name, settings.runId(), settings.holder(), error);
                return null;
            });
        } catch (Exception e) {
            LOG.error("{}: could not record the failed run: {}", name, ErrorClassifier.describe(e));
        }
        return summary(RunResult.FAILED, RunCounters.ZERO, null, error);
    }

    private RunSummary invalid(List<Violation> violations) {
        String message = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        LOG.error("{}: invalid pipeline, nothing was run: {}", name, message);
        return summary(RunResult.INVALID, RunCounters.ZERO, null, message);
    }

    private RunSummary summary(RunResult result, RunCounters counters, Checkpoint checkpoint, String message) {
        Map<String, String> checkpointValues = checkpoint == null ? Map.of() : checkpoint.asMap();
        return new RunSummary(name, settings.runId(), result, counters.rowsRead(), counters.rowsWritten(), counters.batches(),
                checkpointValues, message);
    }
}
