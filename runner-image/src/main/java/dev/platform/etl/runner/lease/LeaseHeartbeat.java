package dev.platform.etl.runner.lease;

import dev.platform.etl.runner.retry.ErrorClassifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the lease every {@code interval} while a run goes on. When a renewal finds the lease
 * taken over, {@link #lost()} turns true and the run stops before its next batch; its commits
 * would fail on the fencing token anyway.
 */
public final class LeaseHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseHeartbeat.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lease-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean lost = new AtomicBoolean();
    private final Lease lease;
    private final Duration ttl;

    public LeaseHeartbeat(LeaseStore leases, Lease lease, Duration ttl, Duration interval) {
        this.lease = lease;
        this.ttl = ttl;
        scheduler.scheduleWithFixedDelay(() -> renew(leases), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renew(LeaseStore leases) {
        try {
            if (!leases.renew(lease, ttl)) {
                LOG.error("lease of {} expired or was taken over (token {}); stopping", lease.pipeline(), lease.token());
                lost.set(true);
                scheduler.shutdown();
            }
        } catch (Exception e) {
            LOG.warn("could not renew the lease of {}: {}", lease.pipeline(), ErrorClassifier.describe(e));
        }
    }

    /** Renews the lease inside a batch's transaction and holds it until that commits: see {@link LeaseStore#hold}. */
    public void holdWithin(Connection transaction) throws SQLException {
        LeaseStore.hold(transaction, lease, ttl);
    }

    public boolean lost() {
        return lost.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
