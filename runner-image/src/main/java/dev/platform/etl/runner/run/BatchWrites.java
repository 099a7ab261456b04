package dev.platform.etl.runner.run;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * How a run's batches reach the target and get their checkpoints, chosen once per run from the
 * sink: {@link SerialWrites}, or {@link TwoWritesInFlight} for a sink that takes them.
 */
interface BatchWrites extends AutoCloseable {

    static BatchWrites of(FencedWriter writer) {
        return writer.run().sink().takesTwoWritesInFlight() ? new TwoWritesInFlight(writer) : new SerialWrites(writer);
    }

    /**
     * Before the loop looks for a pause or stop and takes the next batch: waits for that batch or
     * for an answer to a write in flight, and settles a write that is answered, or every write when
     * {@code stopping}. Returns whether a pause was requested.
     */
    boolean awaitTurn(CompletableFuture<?> nextBatchReady, BooleanSupplier stopping) throws Exception;

    /** Writes the batch (or sends it); returns whether a pause was requested by what committed meanwhile. */
    boolean write(long number, ReadyBatch batch) throws Exception;

    /** At the end of the input: settles every write still in flight. */
    void finish() throws Exception;

    /** The run failed: a write still in flight commits its checkpoint if it succeeds. */
    void afterFailure();

    /** Returns only once the target has answered every write sent. */
    @Override
    void close();
}
