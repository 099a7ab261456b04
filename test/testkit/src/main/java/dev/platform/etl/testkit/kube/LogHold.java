package dev.platform.etl.testkit.kube;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the requests for one pod's log ({@code pods/log}) at the kubelet until the test
 * {@link #close() releases} them: whoever reads that log, the operator reading a run's progress
 * for one, waits there, and the test changes the world in the meantime. A request is never held
 * longer than {@link #LONGEST}, so a test that forgets to release cannot hang the reader.
 */
public final class LogHold implements AutoCloseable {
    static final Duration LONGEST = Duration.ofMinutes(2);

    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();
    private final Runnable onRelease;

    LogHold(Runnable onRelease) {
        this.onRelease = onRelease;
    }

    /** How many log requests wait here now. */
    public int waiting() {
        return waiting.get();
    }

    void await() throws InterruptedException {
        waiting.incrementAndGet();
        try {
            released.await(LONGEST.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Lets the waiting requests, and every later one, through. */
    @Override
    public void close() {
        onRelease.run();
        released.countDown();
    }
}
