package dev.platform.etl.runner.run;

import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.control.RunCounters;
import dev.platform.etl.runner.control.RunStatus;
import dev.platform.etl.runner.range.LoadRange;
import dev.platform.etl.runner.redact.Redaction;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How a run ended: its result, what it committed, where it stopped, and why, if it did not succeed. */
record RunOutcome(RunResult result, RunCounters counters, Checkpoint checkpoint, String message) {

    static RunOutcome invalid(List<Violation> violations) {
        return new RunOutcome(RunResult.INVALID, RunCounters.ZERO, null,
                violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    }

    static RunOutcome skipped() {
        return new RunOutcome(RunResult.SKIPPED, RunCounters.ZERO, null, "the pipeline is running elsewhere (lease held)");
    }

    static RunOutcome failed(RunCounters counters, Checkpoint checkpoint, String error) {
        return new RunOutcome(RunResult.FAILED, counters, checkpoint, error);
    }

    /** The same run, failed for {@code error}: what it committed stays committed. */
    RunOutcome failedAfter(String error) {
        return failed(counters, checkpoint, error);
    }

    /** The same run, its message masked: what every output of the run gets. */
    RunOutcome redacted(Redaction redaction) {
        return new RunOutcome(result, counters, checkpoint, redaction.apply(message));
    }

    /** The status of the run's row in {@code etl.pipeline_run}. */
    RunStatus status() {
        return RunStatus.valueOf(result.name());
    }

    /** The run's summary: its counters are this attempt's and the {@code earlier} ones' of the same run. */
    RunSummary summary(String pipeline, String runId, LoadRange range, RunCounters earlier) {
        Map<String, String> values = checkpoint == null ? Map.of() : checkpoint.asMap();
        RunCounters run = earlier.plus(counters);
        return new RunSummary(pipeline, runId, range == null ? null : range.toString(), result, run.rowsRead(), run.rowsWritten(), run.batches(),
                values, message);
    }
}
