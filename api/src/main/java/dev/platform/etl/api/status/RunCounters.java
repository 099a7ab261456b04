package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The counters that a run, a range of one, and the run in progress all report: committed batches and their rows. */
public abstract class RunCounters {
    @JsonPropertyDescription("Rows read from the source in its committed batches.")
    private Long rowsRead;
    @JsonPropertyDescription("Rows written to the target in its committed batches.")
    private Long rowsWritten;
    @JsonPropertyDescription("Its committed batches.")
    private Long batches;

    protected RunCounters() {
    }

    protected RunCounters(long rowsRead, long rowsWritten, long batches) {
        this.rowsRead = rowsRead;
        this.rowsWritten = rowsWritten;
        this.batches = batches;
    }

    public Long getRowsRead() {
        return rowsRead;
    }

    public void setRowsRead(Long rowsRead) {
        this.rowsRead = rowsRead;
    }

    public Long getRowsWritten() {
        return rowsWritten;
    }

    public void setRowsWritten(Long rowsWritten) {
        this.rowsWritten = rowsWritten;
    }

    public Long getBatches() {
        return batches;
    }

    public void setBatches(Long batches) {
        this.batches = batches;
    }
}
