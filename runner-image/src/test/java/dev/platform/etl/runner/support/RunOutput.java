package dev.platform.etl.runner.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What one runner invocation returned: its exit code and the JSON summary on the last stdout line. */
public record RunOutput(int exitCode, String stdout, String stderr) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode summary() {
        String[] lines = stdout.strip().split("\n");
        try {
            return JSON.readTree(lines[lines.length - 1]);
        } catch (IOException e) {
            throw new UncheckedIOException("no JSON summary in: " + stdout, e);
        }
    }

    public String result() {
        return summary().path("result").asText();
    }

    public long rowsRead() {
        return summary().path("rowsRead").asLong();
    }

    public long rowsWritten() {
        return summary().path("rowsWritten").asLong();
    }

    public String message() {
        return summary().path("message").asText();
    }
}
