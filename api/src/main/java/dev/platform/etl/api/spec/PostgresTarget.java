package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Upserts into a schema-qualified table on its key columns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresTarget {
    private String secretRef;
    private String table;
    private List<String> keyColumns = List.of();

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
}
