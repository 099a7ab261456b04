package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Keyset columns of the reader's output. In Incremental mode both are required; in Full mode a
 * tie-breaker alone makes a full load resumable after its last committed batch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IncrementalSpec {
    private String cursorColumn;
    private String tieBreakerColumn;
    /** Optional blind delay (e.g. "30s") for sources whose transaction horizon cannot be read. */
    private String lag;

    public String getCursorColumn() {
        return cursorColumn;
    }

    public void setCursorColumn(String cursorColumn) {
        this.cursorColumn = cursorColumn;
    }

    public String getTieBreakerColumn() {
        return tieBreakerColumn;
    }

    public void setTieBreakerColumn(String tieBreakerColumn) {
        this.tieBreakerColumn = tieBreakerColumn;
    }

    public String getLag() {
        return lag;
    }

    public void setLag(String lag) {
        this.lag = lag;
    }
}
