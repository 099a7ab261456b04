package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Keyset columns of the reader's output. In Incremental mode both are required; in Full mode a
 * tie-breaker alone makes a full load resumable after its last committed batch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IncrementalSpec {
    @JsonPropertyDescription("A column of the reader's output that grows when a row changes, set from the database clock (for example modified). Incremental mode reads rows after the last checkpoint's (cursor, tie-breaker).")
    private String cursorColumn;
    @JsonPropertyDescription("A unique column of the reader's output that orders rows sharing a cursor value. Alone, in Full mode, it makes a full load resume after its last committed batch.")
    private String tieBreakerColumn;
    /** Optional blind delay (e.g. "30s") for sources whose transaction horizon cannot be read. */
    @JsonPropertyDescription("Optional duration (for example 30s): rows with a cursor within this lag of now are left for the next run. Only for sources whose role cannot see pg_stat_activity.")
    private String lag;
    @JsonPropertyDescription("Optional, Incremental mode: a column of the reader's output that marks a row deleted in the source when it "
            + "is non-NULL (or true, for a boolean). Such a row is deleted from the target by its key instead of written; "
            + "the column itself is never written.")
    private String deletedColumn;

    public String getCursorColumn() {
        return cursorColumn;
    }

    public void setCursorColumn(String cursorColumn) {
        this.cursorColumn = cursorColumn;
    }

    public String getDeletedColumn() {
        return deletedColumn;
    }

    public void setDeletedColumn(String deletedColumn) {
        this.deletedColumn = deletedColumn;
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
