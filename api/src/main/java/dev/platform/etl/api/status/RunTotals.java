package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every run this pipeline has ended, counted: the operator's per-pipeline metrics read them from
 * here, so they survive an operator's restart and count a run once however often its end is written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunTotals {
    @JsonPropertyDescription("Runs ended, by result (SUCCEEDED, PAUSED, FAILED, INVALID, SKIPPED).")
    private Map<String, Long> runs = new TreeMap<>();
    @JsonPropertyDescription("Rows read by the runs ended.")
    private long rowsRead;
    @JsonPropertyDescription("Rows written by the runs ended.")
    private long rowsWritten;

    /** Counts one ended run. */
    public void add(RunResult result, long read, long written) {
        runs.merge(result.name(), 1L, Long::sum);
        rowsRead += read;
        rowsWritten += written;
    }

    public long runs(RunResult result) {
        return runs.getOrDefault(result.name(), 0L);
    }

    public Map<String, Long> getRuns() {
        return runs;
    }

    public void setRuns(Map<String, Long> runs) {
        this.runs = runs == null ? new TreeMap<>() : new TreeMap<>(runs);
    }

    public long getRowsRead() {
        return rowsRead;
    }

    public void setRowsRead(long rowsRead) {
        this.rowsRead = rowsRead;
    }

    public long getRowsWritten() {
        return rowsWritten;
    }

    public void setRowsWritten(long rowsWritten) {
        this.rowsWritten = rowsWritten;
    }
}
