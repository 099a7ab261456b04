package dev.platform.etl.runner.run;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** One write at a time: each batch is written with its checkpoint before the next one is sent. */
final class SerialWrites implements BatchWrites {
    private final FencedWriter writer;

    SerialWrites(FencedWriter writer) {
        this.writer = writer;
    }

    @Override
    public boolean awaitTurn(CompletableFuture<?> nextBatchReady, BooleanSupplier stopping) {
        return false;
    }

    @Override
    public boolean write(long number, ReadyBatch batch) throws Exception {
        return writer.writeAndCommit(number, batch);
    }

    @Override
    public void finish() {
    }

    @Override
    public void afterFailure() {
    }

    @Override
    public void close() {
    }
}
