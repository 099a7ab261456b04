package dev.platform.etl.runner.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.runner.redact.Redaction;
import java.util.Map;

/**
 * The final line on stdout, and the runner pod's termination message.
 *
 * @param range {@code index/count} when the run read one range of a parallel full load, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(String pipeline, String runId, String range, RunResult result, long rowsRead, long rowsWritten, long batches,
                         Map<String, String> checkpoint, String message) {

    /** The same summary, its message masked. */
    public RunSummary redacted(Redaction redaction) {
        return new RunSummary(pipeline, runId, range, result, rowsRead, rowsWritten, batches, checkpoint, redaction.apply(message));
    }

    /** A run that never began, for input the command line could not even hand to a run. */
    public static RunSummary notStarted(String pipeline, String runId, RunResult result, String message) {
        return new RunSummary(pipeline, runId, null, result, 0, 0, 0, Map.of(), message);
    }
}
