package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Upserts into a schema-qualified table on its key columns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresTarget {
    @JsonPropertyDescription("A Secret in the pipeline's namespace with the keys jdbcUrl, username and password.")
    private String secretRef;
    @JsonPropertyDescription("The schema-qualified table (schema.table) that rows are upserted into; it must be listed in the operator's allowlist (ETL_ALLOWED_POSTGRES_TABLES).")
    private String table;
    @JsonPropertyDescription("The columns of the table's primary key or a unique constraint: rows are upserted on them. Every key value must be non-NULL.")
    private List<String> keyColumns = List.of();
    @JsonPropertyDescription("true: when the table is missing, the runner creates it before the first batch, with the rows' columns "
            + "typed as the reader's output and a primary key on keyColumns. Default false: a missing table is INVALID.")
    private Boolean createTable = false;
    @JsonPropertyDescription("true: a column the rows carry that the table lacks is added (ALTER TABLE ... ADD COLUMN) before the "
            + "first batch. Default false: such a column is INVALID. Columns are never dropped or retyped.")
    private Boolean addColumns = false;
    @JsonPropertyDescription("Full mode: true deletes, when a run completes, the table's rows whose key that run did not read, so the "
            + "table mirrors the source. A paused or failed run deletes nothing; a resumed one remembers what it read. "
            + "Needs the control schema in the target database.")
    private Boolean deleteMissing = false;

    public String getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(String secretRef) {
        this.secretRef = secretRef;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public List<String> getKeyColumns() {
        return keyColumns;
    }

    public void setKeyColumns(List<String> keyColumns) {
        this.keyColumns = keyColumns == null ? List.of() : keyColumns;
    }

    public Boolean getCreateTable() {
        return createTable;
    }

    public void setCreateTable(Boolean createTable) {
        this.createTable = createTable;
    }

    public Boolean getAddColumns() {
        return addColumns;
    }

    public void setAddColumns(Boolean addColumns) {
        this.addColumns = addColumns;
    }

    public Boolean getDeleteMissing() {
        return deleteMissing;
    }

    public void setDeleteMissing(Boolean deleteMissing) {
        this.deleteMissing = deleteMissing;
    }

    public boolean deletesMissing() {
        return Boolean.TRUE.equals(deleteMissing);
    }

    public boolean createsTable() {
        return Boolean.TRUE.equals(createTable);
    }

    public boolean addsColumns() {
        return Boolean.TRUE.equals(addColumns);
    }
}
