package dev.platform.etl.operator.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic Job names, {@code <pipeline>-<run number>}, at most 63 characters (a label value),
 * and run ids, which are the Job's name with the start of the pipeline's UID: a pipeline deleted and
 * created again counts its runs from 1 again, but its run ids in {@code etl.pipeline_run} are new.
 */
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

    public static String runId(String jobName, String pipelineUid) {
        return pipelineUid == null || pipelineUid.isBlank() ? jobName : jobName + "-" + pipelineUid.substring(0, Math.min(8, pipelineUid.length()));
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
