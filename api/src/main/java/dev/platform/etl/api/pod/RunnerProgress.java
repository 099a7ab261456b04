package dev.platform.etl.api.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far a run has come, as the runner logs it after every committed batch: one line that holds
 * {@link #MARKER} and then this record as JSON. The operator reads the last such line from the
 * runner pod's log; a user can grep for it.
 *
 * @param rowsPerSecond rows read per second since the run started
 * @param at            when the batch committed (RFC 3339)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RunnerProgress(long rowsRead, long rowsWritten, long batches, Map<String, String> checkpoint, long rowsPerSecond,
                             String at) {
    public static final String MARKER = "ETL-PROGRESS ";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** {@link #MARKER} and the JSON, for the end of a log line. */
    public String logText() {
        try {
            return MARKER + JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The progress on the last line of {@code log} that reports one, in either log format (text, or
     * JSON lines with the message in {@code formattedMessage}); empty when none does (or it does not parse).
     */
    public static Optional<RunnerProgress> lastIn(String log) {
        List<String> lines = log.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(MARKER)) {
                try {
                    String message = message(lines.get(i));
                    int at = message.indexOf(MARKER);
                    return at < 0 ? Optional.empty() : Optional.of(JSON.readValue(message.substring(at + MARKER.length()), RunnerProgress.class));
                } catch (JsonProcessingException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static String message(String line) throws JsonProcessingException {
        return line.startsWith("{") ? JSON.readTree(line).path("formattedMessage").asText() : line;
    }

    /** One line for people: {@code 6000 read, 6000 written, 12 batches, 2400 rows/s}. */
    public String describe() {
        return rowsRead + " read, " + rowsWritten + " written, " + batches + (batches == 1 ? " batch, " : " batches, ") + rowsPerSecond + " rows/s";
    }
}
