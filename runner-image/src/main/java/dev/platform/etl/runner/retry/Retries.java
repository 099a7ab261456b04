package dev.platform.etl.runner.retry;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import dev.platform.etl.api.Durations;
import dev.platform.etl.api.spec.RetrySpec;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an operation with the pipeline's retry policy: transient failures are retried with
 * exponential backoff and jitter, each one logged as a WARN with the attempt, the delay and the
 * cause; permanent failures and the last attempt's failure are thrown as they are.
 */
public final class Retries {
    private static final Logger LOG = LoggerFactory.getLogger(Retries.class);
    private static final double JITTER = 0.2;

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Runnable sessionsEnded;

    /**
     * @param sessionsEnded what to do when a failure says the server ended a session: the other
     *                      sessions of the pools are likely gone too (a restart, a failover), and a
     *                      retry must not be handed one of them
     */
    public Retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Runnable sessionsEnded) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.sessionsEnded = sessionsEnded;
    }

    public Retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(maxAttempts, initialBackoff, maxBackoff, () -> {
        });
    }

    public static Retries from(RetrySpec spec, Runnable sessionsEnded) {
        return new Retries(spec.getMaxAttempts(), Durations.parse(spec.getInitialBackoff()), Durations.parse(spec.getMaxBackoff()),
                sessionsEnded);
    }

    public <T> T call(String what, Stage stage, CheckedSupplier<T> operation) throws Exception {
        RetryPolicy<T> policy = RetryPolicy.<T>builder()
                .handleIf(failure -> ErrorClassifier.isTransient(failure, stage))
                .withBackoff(initialBackoff, maxBackoff.compareTo(initialBackoff) > 0 ? maxBackoff : initialBackoff.plusMillis(1))
                .withJitter(JITTER)
                .withMaxAttempts(maxAttempts)
                .onFailedAttempt(e -> {
                    if (ErrorClassifier.endedASession(e.getLastException())) {
                        sessionsEnded.run();
                    }
                })
                .onRetryScheduled(e -> LOG.warn("{}: attempt {} of {} failed ({}); retrying in {} ms",
                        what, e.getAttemptCount(), maxAttempts, ErrorClassifier.describe(e.getLastException()),
                        e.getDelay().toMillis()))
                .onRetriesExceeded(e -> LOG.error("{}: giving up after {} attempts ({})",
                        what, e.getAttemptCount(), ErrorClassifier.describe(e.getException())))
                .build();
        try {
            return Failsafe.with(policy).get(operation);
        } catch (FailsafeException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
