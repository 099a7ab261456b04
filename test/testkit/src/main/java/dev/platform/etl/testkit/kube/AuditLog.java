package dev.platform.etl.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The local control plane's audit log (JSON lines, Metadata level): every request of the identities
 * it records, with the answer each got.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

    private final Path file;

    /** One audited request: who, what, when, the HTTP status, and whether authorization (RBAC) refused it. */
    public record Request(String user, String verb, String uri, int code, Instant received, boolean forbiddenByRbac) {
        /** A request that changes something: create, update, patch, delete. */
        public boolean isWrite() {
            return WRITE_VERBS.contains(verb);
        }

        @Override
        public String toString() {
            return code + (forbiddenByRbac ? " (RBAC) " : " ") + verb + " " + uri;
        }
    }

    AuditLog(Path file) {
        this.file = file;
    }

    /**
     * The user's requests since {@code since}. Releases of earlier tests are left out: while
     * {@code helm uninstall} deletes a release, its operator pod may still ask for what the
     * release's RBAC, already gone, granted.
     */
    public List<Request> requestsOf(String user, Instant since) {
        try (var lines = Files.lines(file)) {
            return lines.map(AuditLog::parse).filter(request -> request.user().equals(user) && !request.received().isBefore(since)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The requests RBAC denied and that were not granted when made again. Right after an install,
     * the API server may deny a request for a moment: its cache of roles has not yet seen the
     * binding created with the Deployment, and the operator asks again. A permission the chart
     * lacks is denied every time.
     */
    public static List<Request> deniedForGood(List<Request> requests) {
        return requests.stream().filter(Request::forbiddenByRbac).filter(denied -> requests.stream().noneMatch(later ->
                later.received().isAfter(denied.received()) && !later.forbiddenByRbac() && later.code() < 400
                        && later.verb().equals(denied.verb()) && later.uri().equals(denied.uri()))).toList();
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
