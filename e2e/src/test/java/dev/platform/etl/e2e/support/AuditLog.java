package dev.platform.etl.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.testkit.kube.SharedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/** The API server's audit log: every request of the operator's identity, with the answer it got. */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One audited request: who, what, when, the HTTP status, and whether authorization (RBAC) refused it. */
    public record Request(String user, String verb, String uri, int code, Instant received, boolean forbiddenByRbac) {
        @Override
        public String toString() {
            return code + (forbiddenByRbac ? " (RBAC) " : " ") + verb + " " + uri;
        }
    }

    private AuditLog() {
    }

    /**
     * The user's requests since {@code since}. Releases of earlier tests are left out: while
     * {@code helm uninstall} deletes a release, its operator pod may still ask for what the
     * release's RBAC, already gone, granted.
     */
    public static List<Request> requestsOf(String user, Instant since) {
        try (var lines = Files.lines(SharedCluster.get().plane().auditLog())) {
            return lines.map(AuditLog::parse).filter(request -> request.user().equals(user) && !request.received().isBefore(since)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Request parse(String line) {
        try {
            JsonNode event = JSON.readTree(line);
            return new Request(event.path("user").path("username").asText(), event.path("verb").asText(),
                    event.path("requestURI").asText(), event.path("responseStatus").path("code").asInt(),
                    Instant.parse(event.path("requestReceivedTimestamp").asText()),
                    "forbid".equals(event.path("annotations").path("authorization.k8s.io/decision").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
