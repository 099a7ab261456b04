package dev.platform.etl.runner.source;

import java.util.Optional;

/** Gives the reader's output one batch at a time; never more than one batch in memory. */
public interface SourceReader extends AutoCloseable {
    /** The next batch, or empty when the output is exhausted. */
    Optional<SourceBatch> next() throws Exception;

    @Override
    void close();
}
