package dev.platform.etl.runner.range;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the ranges a parallel full load is split into: {@code index} of {@code count}, as
 * {@code --range index/count} names it and an Indexed Job's completion index picks it.
 */
public record LoadRange(int index, int count) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,3})/(\\d{1,3})");

    public LoadRange {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("range " + index + "/" + count + ": the index must be from 0 to the count less 1");
        }
    }

    /** {@code i/N}, e.g. {@code 2/4}. */
    public static LoadRange parse(String text) {
        Matcher matcher = TEXT.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("--range must be INDEX/COUNT, e.g. 0/4, not '" + text + "'");
        }
        return new LoadRange(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /** The key of this range's lease, checkpoint and run rows in the control schema: {@code namespace/name#index}. */
    public String stateKey(String pipeline) {
        return pipeline + "#" + index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
