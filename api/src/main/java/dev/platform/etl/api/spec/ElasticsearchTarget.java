package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Bulk upserts into an index; the document id is the value of {@code idColumn}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ElasticsearchTarget {
    @JsonPropertyDescription("A Secret in the pipeline's namespace with the key url, and optionally username and password, or apiKey.")
    private String secretRef;
    @JsonPropertyDescription("The index written to; it must be listed in the operator's allowlist (ETL_ALLOWED_ELASTICSEARCH_INDICES). Created on the first batch if missing. Set index or alias, not both.")
    private String index;
    @JsonPropertyDescription("Full mode, instead of index: each full load writes a fresh index <alias>-<time> (with the mappings), and when "
            + "it completes the alias moves to it in one step and the previous index is deleted. Readers of the alias never see a "
            + "half-loaded index. The allowlist names the alias.")
    private String alias;
    @JsonPropertyDescription("The column whose value is the document _id: stable, so a replay overwrites instead of duplicating. A NULL value fails its batch.")
    private String idColumn;
    /** Optional mappings used when the runner creates the index. */
    @JsonPropertyDescription("Optional mappings used when the runner creates the index, as in the index API (for example {properties: {modified: {type: date}}}).")
    private Map<String, JsonNode> mappings;

    public String getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(String secretRef) {
        this.secretRef = secretRef;
    }

    public String getAlias() {
        return alias;
    }

    public void setAlias(String alias) {
        this.alias = alias;
    }

    /** What the pipeline writes to, as the allowlist names it: the alias when there is one, otherwise the index. */
    public String writtenName() {
        return alias != null ? alias : index;
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
