package dev.platform.etl.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.testkit.kube.SharedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** The API server's audit log: every request of the operator's identity, with the answer it got. */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One audited request: who, what, and the HTTP status. */
    public record Request(String user, String verb, String uri, int code) {
        @Override
        public String toString() {
            return code + " " + verb + " " + uri;
        }
    }

    private AuditLog() {
    }

    public static List<Request> requestsOf(String user) {
        try (var lines = Files.lines(SharedCluster.get().plane().auditLog())) {
            return lines.map(AuditLog::parse).filter(request -> request.user().equals(user)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Request parse(String line) {
        try {
            JsonNode event = JSON.readTree(line);
            return new Request(event.path("user").path("username").asText(), event.path("verb").asText(),
                    event.path("requestURI").asText(), event.path("responseStatus").path("code").asInt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
