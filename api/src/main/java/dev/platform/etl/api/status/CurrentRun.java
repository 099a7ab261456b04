package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * The run the operator has decided to start or is running: written to status before its Job is
 * created, so an operator restarted in between adopts the Job instead of creating a second.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CurrentRun extends RunCounters {
    @JsonPropertyDescription("The run's number, counting from 1 for this pipeline.")
    private Long number;
    @JsonPropertyDescription("The name of the Job that runs it.")
    private String job;
    @JsonPropertyDescription("Its id in etl.pipeline_run: the Job's name and the start of the pipeline's UID.")
    private String runId;
    @JsonPropertyDescription("The spec.runRequest value it handles: handledRunRequest takes it when the run ends.")
    private String runRequest;
    @JsonPropertyDescription("Why it was started: runRequest <value>, schedule <time>, resume after pause, or adopted (a Job found without a record).")
    private String reason;
    @JsonPropertyDescription("When the operator decided to start it (RFC 3339).")
    private String requestedAt;
    @JsonPropertyDescription("While it runs: its progress in one line (rows read and written, batches, rows per second), as kubectl get -o wide shows it.")
    private String progress;
    @JsonPropertyDescription("While it runs: where its last committed batch ended (cursor and tieBreaker values).")
    private Map<String, String> checkpoint;
    @JsonPropertyDescription("While it runs: rows read per second since it started.")
    private Long rowsPerSecond;
    @JsonPropertyDescription("When the runner committed the batch this progress is from (RFC 3339).")
    private String progressAt;
    @JsonPropertyDescription("With spec.parallelism above 1: each range as its pod last reported; the counters above are their sums.")
    private List<RangeRun> ranges;

    public CurrentRun() {
    }

    public CurrentRun(long number, String job, String runId, String runRequest, String reason, String requestedAt) {
        this.number = number;
        this.job = job;
        this.runId = runId;
        this.runRequest = runRequest;
        this.reason = reason;
        this.requestedAt = requestedAt;
    }

    public String getProgress() {
        return progress;
    }

    public void setProgress(String progress) {
        this.progress = progress;
    }

    public Map<String, String> getCheckpoint() {
        return checkpoint;
    }

    public void setCheckpoint(Map<String, String> checkpoint) {
        this.checkpoint = checkpoint;
    }

    public Long getRowsPerSecond() {
        return rowsPerSecond;
    }

    public void setRowsPerSecond(Long rowsPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
    }

    public String getProgressAt() {
        return progressAt;
    }

    public void setProgressAt(String progressAt) {
        this.progressAt = progressAt;
    }

    public Long getNumber() {
        return number;
    }

    public void setNumber(Long number) {
        this.number = number;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public String getRunId() {
        return runId;
    }

    public void setRunId(String runId) {
        this.runId = runId;
    }

    public String getRunRequest() {
        return runRequest;
    }

    public void setRunRequest(String runRequest) {
        this.runRequest = runRequest;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getRequestedAt() {
        return requestedAt;
    }

    public void setRequestedAt(String requestedAt) {
        this.requestedAt = requestedAt;
    }

    public List<RangeRun> getRanges() {
        return ranges;
    }

    public void setRanges(List<RangeRun> ranges) {
        this.ranges = ranges;
    }
}
