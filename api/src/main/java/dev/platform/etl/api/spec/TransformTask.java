package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Declarative row transform, applied as rename, then drop, then set. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TransformTask {
    private Map<String, String> rename = new LinkedHashMap<>();
    private List<String> drop = List.of();
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
