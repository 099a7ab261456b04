package dev.platform.etl.runner.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The masks, on text as a text log line writes it and as a JSON log line escapes it. */
class RedactionTest {
    private final Redaction redaction = new Redaction();

    @Test
    void aLearntValueIsMaskedAsWrittenAndAsJsonEscapesIt() {
        redaction.learn(List.of("pa/ss\"word"));

        assertThat(redaction.apply("connecting with pa/ss\"word")).isEqualTo("connecting with ***");
        assertThat(redaction.apply("{\"formattedMessage\":\"connecting with pa\\/ss\\\"word\"}")).isEqualTo("{\"formattedMessage\":\"connecting with ***\"}");
    }

    @Test
    void aUrlsPasswordIsMaskedAsWrittenAndAsJsonEscapesIt() {
        assertThat(redaction.apply("http://elastic:s3cret@es:9200")).isEqualTo("http://elastic:***@es:9200");
        assertThat(redaction.apply("http:\\/\\/elastic:s3cret@es:9200")).isEqualTo("http:\\/\\/elastic:***@es:9200");
    }

    @Test
    void aPasswordParameterIsMaskedUpToItsEndAndAJsonQuoteStays() {
        assertThat(redaction.apply("jdbc:postgresql://db/etl?user=etl&password=s3cret&ssl=true")).isEqualTo("jdbc:postgresql://db/etl?user=etl&password=***&ssl=true");
        assertThat(redaction.apply("{\"formattedMessage\":\"url \\\"jdbc:postgresql:\\/\\/db\\/etl?password=s3cret\\\"\"}"))
                .isEqualTo("{\"formattedMessage\":\"url \\\"jdbc:postgresql:\\/\\/db\\/etl?password=***\\\"\"}");
    }
}
