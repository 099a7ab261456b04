package dev.platform.etl.operator.observe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.platform.etl.api.status.RangeRun;
import dev.platform.etl.api.status.RunResult;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The runner's final JSON summary, read from its pod's termination message.
 *
 * @param range {@code index/count} when the pod read one range of a parallel full load
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunnerSummary(String pipeline, String runId, String range, RunResult result, long rowsRead, long rowsWritten, long batches,
                            Map<String, String> checkpoint, String message) {
    /** Which result a run of several ranges takes: the first here that any of its ranges had. */
    private static final List<RunResult> PRECEDENCE = List.of(RunResult.FAILED, RunResult.INVALID, RunResult.SKIPPED, RunResult.PAUSED,
            RunResult.SUCCEEDED);

    /**
     * The run of a parallel full load from its ranges' summaries: the counters summed, the result
     * the worst of theirs, and no checkpoint (each range has its own).
     */
    public static RunnerSummary combined(Map<Integer, RunnerSummary> byIndex) {
        Collection<RunnerSummary> ranges = byIndex.values();
        RunnerSummary any = ranges.iterator().next();
        RunResult result = ranges.stream().map(RunnerSummary::result).min(Comparator.comparingInt(PRECEDENCE::indexOf)).orElseThrow();
        String messages = byIndex.entrySet().stream().filter(e -> e.getValue().message() != null)
                .map(e -> "range " + e.getKey() + ": " + e.getValue().message()).collect(Collectors.joining("; "));
        return new RunnerSummary(any.pipeline(), any.runId(), null, result, ranges.stream().mapToLong(RunnerSummary::rowsRead).sum(),
                ranges.stream().mapToLong(RunnerSummary::rowsWritten).sum(), ranges.stream().mapToLong(RunnerSummary::batches).sum(),
                Map.of(), messages.isEmpty() ? null : messages);
    }

    public RangeRun asRange(int index) {
        return new RangeRun(index, result, rowsRead, rowsWritten, batches, message);
    }
}
