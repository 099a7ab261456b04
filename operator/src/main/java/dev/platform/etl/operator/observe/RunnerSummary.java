package dev.platform.etl.operator.observe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.platform.etl.api.status.RunResult;
import java.util.Map;

/** The runner's final JSON summary, read from its pod's termination message. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunnerSummary(String pipeline, String runId, RunResult result, long rowsRead, long rowsWritten, long batches,
                            Map<String, String> checkpoint, String message) {
}
