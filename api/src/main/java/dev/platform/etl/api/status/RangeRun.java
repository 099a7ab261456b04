package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One range of a run with spec.parallelism above 1: how far it has come, and, once its pod has ended, how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RangeRun extends RunCounters {
    @JsonPropertyDescription("The range's index, from 0: the pod's completion index in the run's Indexed Job.")
    private Integer index;
    @JsonPropertyDescription("How its latest pod ended: SUCCEEDED, PAUSED, FAILED, INVALID or SKIPPED; absent while it runs.")
    private RunResult result;
    @JsonPropertyDescription("Why it did not succeed, if it did not.")
    private String message;

    public RangeRun() {
    }

    public RangeRun(int index, RunResult result, long rowsRead, long rowsWritten, long batches, String message) {
        super(rowsRead, rowsWritten, batches);
        this.index = index;
        this.result = result;
        this.message = message;
    }

    public Integer getIndex() {
        return index;
    }

    public void setIndex(Integer index) {
        this.index = index;
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
}
