package dev.platform.etl.runner.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.platform.etl.runner.source.JsonText;
import dev.platform.etl.runner.source.Values;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.UUID;

/**
 * Rows as Elasticsearch documents with their JSON types: numbers stay numbers (numeric keeps its
 * digits), booleans stay booleans, timestamps become ISO-8601 strings, json columns are embedded
 * as they are. Each document is encoded to JSON bytes once, on the read-ahead thread; the bulk
 * request then sends those bytes as they are.
 */
final class Documents {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Documents() {
    }

    static byte[] json(List<String> columns, Object[] row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * columns.size());
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            for (int i = 0; i < row.length; i++) {
                json.writeFieldName(columns.get(i));
                writeValue(json, row[i]);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value instanceof JsonText text) {
            json.writeRawValue(text.json()); // PostgreSQL's json and jsonb output is valid JSON
        } else if (value instanceof Temporal || value instanceof UUID) {
            json.writeString(Values.toText(value));
        } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            json.writeNull(); // JSON has no NaN or Infinity
        } else {
            json.writeObject(value);
        }
    }
}
