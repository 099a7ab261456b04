package dev.platform.etl.runner.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.platform.etl.runner.source.JsonText;
import dev.platform.etl.runner.source.Values;
import java.time.temporal.Temporal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rows as Elasticsearch documents with their JSON types: numbers stay numbers (numeric keeps its
 * digits), booleans stay booleans, timestamps become ISO-8601 strings, json columns become objects.
 */
final class Documents {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Documents() {
    }

    static Map<String, Object> of(List<String> columns, Object[] row) {
        Map<String, Object> document = new LinkedHashMap<>(columns.size() * 2);
        for (int i = 0; i < row.length; i++) {
            document.put(columns.get(i), jsonValue(row[i]));
        }
        return document;
    }

    private static Object jsonValue(Object value) {
        if (value instanceof JsonText json) {
            try {
                return JSON.readTree(json.json());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("PostgreSQL returned json that does not parse: " + e.getOriginalMessage(), e);
            }
        }
        if (value instanceof Temporal || value instanceof UUID) {
            return Values.toText(value);
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null; // JSON has no NaN or Infinity
        }
        return value;
    }
}
