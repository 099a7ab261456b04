package dev.platform.etl.runner.run;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set when the process is asked to stop (SIGTERM): the run pauses after the batch in flight. */
public final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();

    public void request() {
        requested.set(true);
    }

    public boolean requested() {
        return requested.get();
    }
}
