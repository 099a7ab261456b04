package dev.platform.etl.runner.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** A checkpoint as the control schema stores it: jsonb. */
public final class CheckpointJson {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private CheckpointJson() {
    }

    /** @return the checkpoint, or null for a null column */
    public static Checkpoint read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Checkpoint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the control schema holds a checkpoint that is not one: " + json, e);
        }
    }

    /** @return the JSON, or null for no checkpoint */
    public static String write(Checkpoint checkpoint) {
        if (checkpoint == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(checkpoint);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
