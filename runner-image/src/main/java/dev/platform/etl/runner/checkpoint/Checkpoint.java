package dev.platform.etl.runner.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.platform.etl.api.spec.Mode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last row of the last committed batch, as the reader produced it (before any transform):
 * its cursor and tie-breaker values in their columns' own text form, lossless (timestamptz as an
 * ISO-8601 instant with microseconds). A Full checkpoint marks a full load in progress; it is
 * cleared when the load completes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Checkpoint(Mode mode, String cursor, String tieBreaker) {

    /** The values a user sees, in the run summary and the resource's status. */
    public Map<String, String> asMap() {
        Map<String, String> values = new LinkedHashMap<>();
        if (cursor != null) {
            values.put("cursor", cursor);
        }
        if (tieBreaker != null) {
            values.put("tieBreaker", tieBreaker);
        }
        return values;
    }
}
