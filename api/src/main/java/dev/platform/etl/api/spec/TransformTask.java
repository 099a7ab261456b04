package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Declarative row transform, applied as rename, then drop, then set. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TransformTask {
    @JsonPropertyDescription("Columns to rename, old name to new name.")
    private Map<String, String> rename = new LinkedHashMap<>();
    @JsonPropertyDescription("Columns to leave out of the written rows.")
    private List<String> drop = List.of();
    @JsonPropertyDescription("Columns to set to a constant on every row (added if missing).")
    private Map<String, JsonNode> set = new LinkedHashMap<>();

    public Map<String, String> getRename() {
        return rename;
    }

    public void setRename(Map<String, String> rename) {
        this.rename = rename == null ? new LinkedHashMap<>() : rename;
    }

    public List<String> getDrop() {
        return drop;
    }

    public void setDrop(List<String> drop) {
        this.drop = drop == null ? List.of() : drop;
    }

    public Map<String, JsonNode> getSet() {
        return set;
    }

    public void setSet(Map<String, JsonNode> set) {
        this.set = set == null ? new LinkedHashMap<>() : set;
    }
}
