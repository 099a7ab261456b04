package dev.platform.etl.runner.run;

import dev.platform.etl.api.Durations;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.Secrets;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.PipelineValidator;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.connect.Connections;
import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.ControlSchema;
import dev.platform.etl.runner.control.RunCounters;
import dev.platform.etl.runner.control.RunRows;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseHeartbeat;
import dev.platform.etl.runner.lease.LeaseStore;
import dev.platform.etl.runner.range.LoadRange;
import dev.platform.etl.runner.range.RangeBounds;
import dev.platform.etl.runner.range.RangeStore;
import dev.platform.etl.runner.retry.ErrorClassifier;
import dev.platform.etl.runner.retry.Retries;
import dev.platform.etl.runner.retry.Stage;
import dev.platform.etl.runner.sink.Sink;
import dev.platform.etl.runner.sink.Sinks;
import dev.platform.etl.runner.source.BatchLimit;
import dev.platform.etl.runner.source.Horizon;
import dev.platform.etl.runner.source.PostgresSource;
import dev.platform.etl.runner.source.ReaderQuery;
import dev.platform.etl.runner.source.ScanPlan;
import dev.platform.etl.runner.source.SourceBatch;
import dev.platform.etl.runner.source.SourceReader;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one pipeline, from validation to the final summary:
 * validate (INVALID, nothing touched) → describe the reader's output and plan → migrate the
 * control schema → claim the lease (SKIPPED if held) → batches → record the result, release.
 */
public final class PipelineRun {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

    private final EtlPipeline pipeline;
    private final EtlPipelineSpec spec;
    private final Secrets secrets;
    private final RunnerSettings settings;
    private final StopSignal stop;
    private final String name;
    /** Memory held back from the start, and let go on an OutOfMemoryError: enough to end the run as every run ends. */
    @SuppressWarnings("unused")
    private byte[] reserve = new byte[4 << 20];
    /** What earlier attempts of this run (same run id) committed, once the lease is claimed: the run's counters include it. */
    private RunCounters earlier = RunCounters.ZERO;

    public PipelineRun(EtlPipeline pipeline, Secrets secrets, RunnerSettings settings, StopSignal stop) {
        this.pipeline = pipeline;
        this.spec = pipeline.getSpec();
        this.secrets = secrets;
        this.settings = settings;
        this.stop = stop;
        this.name = pipeline.qualifiedName();
    }

    public RunSummary execute() {
        RunOutcome outcome = outcome().redacted(settings.redaction());
        RunCounters run = earlier.plus(outcome.counters());
        switch (outcome.result()) {
            case INVALID -> LOG.error("{}: invalid pipeline, nothing was run: {}", name, outcome.message());
            case FAILED -> LOG.error("{}: run {} FAILED after {} committed batches: {}", name, settings.runId(),
                    run.batches(), outcome.message());
            case SKIPPED -> LOG.warn("{}: another runner holds the lease; skipping", name);
            default -> LOG.info("{}: run {} {}: read {}, wrote {}, {} batches", name, settings.runId(), outcome.result(),
                    run.rowsRead(), run.rowsWritten(), run.batches());
        }
        return outcome.summary(name, settings.runId(), settings.range(), earlier);
    }

    /** Every way a run ends comes out here as its one outcome; nothing escapes. */
    private RunOutcome outcome() {
        try {
            InvalidPipelineException.throwIfAny(validate());
            try (Connections connections = open()) {
                return run(connections, Retries.from(spec.getRetry(), connections::evictAll));
            }
        } catch (InvalidPipelineException e) {
            return RunOutcome.invalid(e.violations());
        } catch (Exception | LinkageError e) {
            return RunOutcome.failed(RunCounters.ZERO, null, ErrorClassifier.describe(e));
        } catch (OutOfMemoryError e) {
            return RunOutcome.failed(RunCounters.ZERO, null, outOfMemory(e));
        }
    }

    /** Frees the reserve, so that the run can still record how it ended and print its summary. */
    private String outOfMemory(OutOfMemoryError e) {
        reserve = null;
        return ErrorClassifier.describe(e);
    }

    private List<Violation> validate() {
        List<Violation> violations = new ArrayList<>(new PipelineValidator(settings.allowlist()).validate(pipeline));
        LoadRange range = settings.range();
        if (range != null && range.count() != spec.ranges()) {
            violations.add(new Violation("--range", "reads range " + range + ", but spec.parallelism splits the load into "
                    + spec.ranges() + (spec.ranges() == 1 ? " range" : " ranges")));
        }
        if (violations.isEmpty()) {
            ReaderQuery.moreThanOneStatement("spec.tasks[0].sqlReader.query", spec.getTasks().get(0).getSqlReader().getQuery())
                    .ifPresent(violations::add);
        }
        return violations;
    }

    private Connections open() throws InvalidPipelineException {
        try {
            // half the lease's lifetime: a holder frozen in a batch loses its lock well before its lease runs out
            return Connections.open(spec, secrets, settings.controlDbUrl(), settings.leaseTtl().dividedBy(2));
        } catch (Secrets.MissingSecretException e) {
            throw new InvalidPipelineException(List.of(new Violation("secretRef", e.getMessage())));
        }
    }

    /**
     * Plans the run from the reader's output and the target's columns (INVALID if they do not fit),
     * claims the lease (SKIPPED if held) and runs the batches. A failure before the lease is
     * recorded as a FAILED run row; after it, the run's row records how it ended.
     */
    private RunOutcome run(Connections connections, Retries retries) throws Exception {
        ControlDatabase control = new ControlDatabase(connections.control());
        PostgresSource source = source(connections);
        RunPlan plan;
        Sink sink;
        try {
            plan = RunPlan.of(spec, retries.call("describe the reader's output", Stage.READ, source::describe));
            InvalidPipelineException.throwIfAny(plan.violations());
            sink = retries.call("read the target's columns", Stage.WRITE,
                    () -> Sinks.forTarget(name, spec.effectiveTarget(), connections,
                            plan.transform().typedOutputColumns(plan.readerColumns()), plan.softDeletes()));
        } catch (InvalidPipelineException e) {
            throw e;
        } catch (Exception e) {
            recordFailedRun(control, retries, settings.redaction().apply(ErrorClassifier.describe(e)));
            throw e;
        }
        try (sink) {
            InvalidPipelineException.throwIfAny(sink.violations());
            LeaseStore leases = new LeaseStore(control);
            Optional<Lease> lease;
            RangeBounds bounds;
            try {
                retries.call("migrate the control schema", Stage.CONTROL, () -> {
                    ControlSchema.migrate(control.dataSource());
                    return null;
                });
                bounds = settings.range() == null ? null : retries.call("read the load's ranges", Stage.CONTROL,
                        () -> new RangeStore(control).boundsOf(name, settings.range(), settings.runId(),
                                ranges -> source.splitPoints(plan.keyColumns().get(0), ranges)));
                String stateKey = settings.range() == null ? name : settings.range().stateKey(name);
                lease = retries.call("claim the lease", Stage.CONTROL,
                        () -> leases.claim(stateKey, name, settings.holder(), settings.runId(), settings.leaseTtl(), spec.getMode()));
            } catch (Exception e) {
                return RunOutcome.failed(RunCounters.ZERO, null, "control schema unavailable: " + ErrorClassifier.describe(e));
            }
            lease.ifPresent(claimed -> earlier = claimed.earlier());
            return lease.isEmpty() ? RunOutcome.skipped()
                    : runHolding(new RunContext(plan, source, sink, control, retries), lease.get(), bounds, leases);
        }
    }

    private PostgresSource source(Connections connections) {
        return new PostgresSource(connections.source(), spec.getTasks().get(0).getSqlReader().getQuery(),
                BatchLimit.ofHeap(spec.getBatchSize()));
    }

    /**
     * Runs the batches and records how they ended, then releases the lease. A full load completes
     * when it has read everything: at once, or, split into ranges, with the last of its ranges.
     */
    private RunOutcome runHolding(RunContext run, Lease lease, RangeBounds bounds, LeaseStore leases) {
        RunOutcome outcome;
        try (LeaseHeartbeat heartbeat = new LeaseHeartbeat(leases, lease, settings.leaseTtl(), settings.heartbeat())) {
            outcome = runBatches(run, lease, bounds, heartbeat).redacted(settings.redaction());
        }
        boolean fullLoadDone = spec.getMode() == Mode.Full && outcome.result() == RunResult.SUCCEEDED;
        LoadRange range = settings.range();
        try {
            run.retries().call("record the run's result", Stage.CONTROL, () -> run.control().inTransaction(transaction -> {
                if (fullLoadDone && (range == null || RangeStore.finish(transaction, name, range, settings.runId()))) {
                    run.sink().completeLoad(transaction);
                }
                LeaseStore.release(transaction, lease, outcome.status(), outcome.counters(), outcome.checkpoint(), outcome.message(),
                        fullLoadDone && range == null);
                return null;
            }));
        } catch (Exception e) {
            return outcome.failedAfter("could not record the result: " + ErrorClassifier.describe(e)).redacted(settings.redaction());
        }
        // a completed full load has no checkpoint left: the next run starts from the beginning
        return fullLoadDone ? new RunOutcome(outcome.result(), outcome.counters(), null, null) : outcome;
    }

    /** Never throws: whatever goes wrong while the lease is held ends as a FAILED outcome, to be recorded. */
    private RunOutcome runBatches(RunContext run, Lease lease, RangeBounds bounds, LeaseHeartbeat heartbeat) {
        if (bounds != null && bounds.done()) {
            LOG.info("{}: range {} was already read to its end in this load", name, settings.range());
            return new RunOutcome(RunResult.SUCCEEDED, RunCounters.ZERO, lease.checkpoint(), null);
        }
        ScanPlan scan = null;
        try {
            scan = startScan(run, lease, lease.checkpoint(), bounds);
            boolean resuming = (bounds == null ? scan.start() : lease.checkpoint()) != null;
            if (run.retries().call("set up the target", Stage.WRITE, () -> run.sink().setUp(resuming))) {
                scan = startScan(run, lease, null, bounds);
            }
            try (SourceReader reader = run.source().open(scan, run.plan().readerColumns())) {
                return new BatchLoop(run, lease, heartbeat, run.plan().versioned(spec), stop)
                        .run(scan.start(), readWithRetries(scan, reader, run.retries()));
            }
        } catch (Exception | LinkageError e) {
            return RunOutcome.failed(RunCounters.ZERO, scan == null ? lease.checkpoint() : scan.start(), ErrorClassifier.describe(e));
        } catch (OutOfMemoryError e) {
            return RunOutcome.failed(RunCounters.ZERO, scan == null ? lease.checkpoint() : scan.start(), outOfMemory(e));
        }
    }

    /** A keyset page can be read again after a transient failure; a streamed statement cannot. */
    private static Callable<Optional<SourceBatch>> readWithRetries(ScanPlan scan, SourceReader reader, Retries retries) {
        return scan.keyset() ? () -> retries.call("read the next batch", Stage.READ, reader::next) : reader::next;
    }

    /** The run's read, after {@code checkpoint}, or from the beginning (of its range) when that is null. */
    private ScanPlan startScan(RunContext run, Lease lease, Checkpoint checkpoint, RangeBounds bounds) throws Exception {
        OffsetDateTime horizon = null;
        if (run.plan().needsHorizon()) {
            Duration lag = spec.getIncremental().getLag() == null ? null : Durations.parse(spec.getIncremental().getLag());
            horizon = run.retries().call("read the source's transaction horizon", Stage.READ, () -> Horizon.compute(run.source(), lag));
        }
        // a range without a checkpoint of its own starts after its lower bound
        Checkpoint start = checkpoint == null && bounds != null ? bounds.start() : checkpoint;
        ScanPlan scan = run.plan().scan(start, horizon, bounds == null ? null : bounds.upper());
        LOG.info("{}: run {} ({}{}) starts {}{}{}", lease.pipeline(), settings.runId(), spec.getMode(),
                settings.range() == null ? "" : ", range " + settings.range(),
                scan.start() == null ? "from the beginning" : "after checkpoint " + scan.start().asMap(),
                horizon == null ? "" : ", reading rows with cursor before " + horizon,
                scan.upperBound() == null ? "" : ", up to tie-breaker " + scan.upperBound());
        return scan;
    }

    private void recordFailedRun(ControlDatabase control, Retries retries, String error) {
        try {
            retries.call("record the failed run", Stage.CONTROL, () -> {
                ControlSchema.migrate(control.dataSource());
                RunRows.recordFailed(control, name, settings.runId(), settings.holder(), error);
                return null;
            });
        } catch (Exception e) {
            LOG.error("{}: could not record the failed run: {}", name, ErrorClassifier.describe(e));
        }
    }
}
