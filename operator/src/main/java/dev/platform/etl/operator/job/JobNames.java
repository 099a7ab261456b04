package dev.platform.etl.operator.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic Job names, {@code <pipeline>-<run number>}, at most 63 characters (a label value). */
public final class JobNames {
    private static final int MAX = 63;

    private JobNames() {
    }

    public static String forRun(String pipeline, long run) {
        String suffix = "-" + run;
        if (pipeline.length() + suffix.length() <= MAX) {
            return pipeline + suffix;
        }
        String hash = "-" + shortHash(pipeline);
        String prefix = pipeline.substring(0, MAX - suffix.length() - hash.length()).replaceAll("[-.]+$", "");
        return prefix + hash + suffix;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
