package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Bulk upserts into an index; the document id is the value of {@code idColumn}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElasticsearchTarget {
    private String secretRef;
    private String index;
    private String idColumn;
    /** Optional mappings used when the runner creates the index. */
    private Map<String, JsonNode> mappings;

    public String getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(String secretRef) {
        this.secretRef = secretRef;
    }

    public String getIndex() {
        return index;
    }

    public void setIndex(String index) {
        this.index = index;
    }

    public String getIdColumn() {
        return idColumn;
    }

    public void setIdColumn(String idColumn) {
        this.idColumn = idColumn;
    }

    public Map<String, JsonNode> getMappings() {
        return mappings;
    }

    public void setMappings(Map<String, JsonNode> mappings) {
        this.mappings = mappings;
    }
}
