package dev.platform.etl.runner.sink;

import java.util.List;

/**
 * A row whose key is NULL cannot be written idempotently: PostgreSQL never matches it in ON
 * CONFLICT, and Elasticsearch would invent a new _id on every replay. Such a batch fails whole,
 * before anything of it is written, naming the row and the column.
 */
final class NullKey extends IllegalStateException {
    private NullKey(String message) {
        super(message);
    }

    /** Fails on the first row of {@code rows} with a NULL in one of the key columns. */
    static void check(List<Object[]> rows, int[] keyIndexes, List<String> keyNames) {
        for (int row = 0; row < rows.size(); row++) {
            for (int k = 0; k < keyIndexes.length; k++) {
                if (rows.get(row)[keyIndexes[k]] == null) {
                    throw new NullKey("row " + (row + 1) + " of " + rows.size() + " in the batch has a NULL " + keyNames.get(k)
                            + ", a key column: nothing of the batch was written; filter such rows out in the reader (WHERE "
                            + keyNames.get(k) + " IS NOT NULL) or give them a key");
                }
            }
        }
    }
}
