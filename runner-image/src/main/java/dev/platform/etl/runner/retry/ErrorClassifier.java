package dev.platform.etl.runner.retry;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.SQLRecoverableException;
import java.util.Set;

/**
 * The one place that decides whether a failure is transient (retry the whole batch with backoff)
 * or permanent (fail the run at once, clearly).
 *
 * <p>Transient: lost or refused connections (SQLSTATE class 08), serialization failures (40001)
 * and deadlocks (40P01), server shutdown or start-up (57P01, 57P02, 57P03), a session ended for
 * idling in a transaction (25P03: the runner stalled mid-batch, see {@code PostgresEndpoint.writerPool}), lack of resources
 * (class 53), a lock not available (55P03), and, when writing, a target table that is briefly
 * missing (42P01); Elasticsearch answering 429 or 5xx, for the whole bulk or for one of its
 * documents, or not answering at all. Everything else (bad SQL, missing permission, wrong types,
 * a document the index mapping rejects) is permanent.
 */
public final class ErrorClassifier {
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "55P03", "25P03");
    private static final Set<String> SESSION_ENDED_STATES = Set.of("57P01", "57P02", "57P03", "25P03");
    private static final String UNDEFINED_TABLE = "42P01";

    private ErrorClassifier() {
    }

    public static boolean isTransient(Throwable failure, Stage stage) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PermanentFailure) {
                return false;
            }
            if (t instanceof SQLException sql && isTransientSql(sql, stage)) {
                return true;
            }
            if (isTransientHttpStatus(httpStatus(t))) {
                return true;
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure means the database ended or lost the session: a connection failure
     * (class 08), the server shutting down or starting (57P01, 57P02, 57P03), or an idle
     * transaction ended (25P03).
     */
    public static boolean endedASession(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SESSION_ENDED_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** Elasticsearch: too many requests, or the server failing (a node restarting, no master yet). */
    private static boolean isTransientHttpStatus(int status) {
        return status == 429 || status >= 500;
    }

    private static int httpStatus(Throwable t) {
        if (t instanceof ElasticsearchException e) {
            return e.status();
        }
        if (t instanceof TransportException e) {
            return e.statusCode();
        }
        if (t instanceof HttpStatusFailure e) {
            return e.status();
        }
        return -1;
    }

    private static boolean isTransientSql(SQLException e, Stage stage) {
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        return state.startsWith("08") || state.startsWith("53") || TRANSIENT_STATES.contains(state)
                || (stage == Stage.WRITE && state.equals(UNDEFINED_TABLE));
    }

    /** A one-line description of a failure for logs and the run record: SQLSTATE and message, no stack. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof SQLException)) {
            root = root.getCause();
        }
        if (root instanceof OutOfMemoryError) {
            return "out of memory (" + root.getMessage() + ", a heap of " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB): lower spec.batchSize, or raise the runner's memory limit";
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().replaceAll("\\s*\\R\\s*", " ");
        if (root instanceof SQLException sql && sql.getSQLState() != null) {
            return "SQLSTATE " + sql.getSQLState() + ": " + message;
        }
        return message;
    }
}
