package dev.platform.etl.runner.sink;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One statement cannot update a row twice: within a batch the last row of a key wins, as it would
 * in sequence. Keys are compared as the database compares them (numeric 1.0 = 1.00).
 */
final class LastRowPerKey {
    private LastRowPerKey() {
    }

    /** The rows, each key's last one only, in the order of those; {@code rows} itself when no key repeats. */
    static List<Object[]> of(List<Object[]> rows, int[] keyIndexes) {
        Set<List<Object>> keys = new HashSet<>(rows.size() * 2);
        for (Object[] row : rows) {
            if (!keys.add(keyOf(row, keyIndexes))) {
                Map<List<Object>, Object[]> byKey = new LinkedHashMap<>(rows.size() * 2);
                for (Object[] each : rows) {
                    List<Object> key = keyOf(each, keyIndexes);
                    byKey.remove(key);
                    byKey.put(key, each);
                }
                return new ArrayList<>(byKey.values());
            }
        }
        return rows;
    }

    private static List<Object> keyOf(Object[] row, int[] keyIndexes) {
        Object[] key = new Object[keyIndexes.length];
        for (int i = 0; i < key.length; i++) {
            Object value = row[keyIndexes[i]];
            key[i] = value instanceof BigDecimal decimal ? decimal.stripTrailingZeros()
                    : value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
        }
        return Arrays.asList(key);
    }
}
