package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class LastRun extends RunCounters {
    @JsonPropertyDescription("The run's id, as in the control schema (etl.pipeline_run.run_id).")
    private String runId;
    @JsonPropertyDescription("The Job that ran it.")
    private String job;
    @JsonPropertyDescription("When the operator started the run (RFC 3339).")
    private String startedAt;
    @JsonPropertyDescription("When the run ended (RFC 3339).")
    private String finishedAt;
    @JsonPropertyDescription("SUCCEEDED, PAUSED, FAILED, INVALID or SKIPPED.")
    private RunResult result;
    @JsonPropertyDescription("Why the run did not succeed, if it did not.")
    private String message;
    @JsonPropertyDescription("With spec.parallelism above 1: each range, as its latest pod ended; the counters above are their sums.")
    private List<RangeRun> ranges;

    public String getRunId() {
        return runId;
    }

    public void setRunId(String runId) {
        this.runId = runId;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    public RunResult getResult() {
        return result;
    }

    public void setResult(RunResult result) {
        this.result = result;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<RangeRun> getRanges() {
        return ranges;
    }

    public void setRanges(List<RangeRun> ranges) {
        this.ranges = ranges;
    }
}
