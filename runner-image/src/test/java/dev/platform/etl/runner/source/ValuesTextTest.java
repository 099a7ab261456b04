package dev.platform.etl.runner.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Values writes dates and times itself, for speed; the text must be exactly what java.time writes. */
class ValuesTextTest {
    private static final long YEAR_MINUS_5000 = -219_842_000_000L;
    private static final long YEAR_12000 = 316_536_000_000L;

    @Test
    void timestampsAndDatesReadExactlyAsJavaTimeWritesThem() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long second = YEAR_MINUS_5000 + (long) (random.nextDouble() * (YEAR_12000 - YEAR_MINUS_5000));
            int nano = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                case 3 -> random.nextInt(1_000_000_000);
                default -> 0;
            };
            Instant instant = Instant.ofEpochSecond(i % 7 == 0 ? second - second % 60 : second, nano);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);

            assertThat(Values.toText(OffsetDateTime.ofInstant(instant, offset))).isEqualTo(instant.toString());
            LocalDateTime local = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
            assertThat(Values.toText(local)).isEqualTo(local.toString());
            assertThat(Values.toText(local.toLocalDate())).isEqualTo(local.toLocalDate().toString());
        }
    }

    @Test
    void infinitiesAndEdgeYears() {
        assertThat(Values.toText(OffsetDateTime.MAX)).isEqualTo("infinity");
        assertThat(Values.toText(LocalDate.MIN)).isEqualTo("-infinity");
        assertThat(Values.toText(LocalDate.of(0, 1, 1))).isEqualTo("0000-01-01");
        assertThat(Values.toText(LocalDateTime.of(9999, 12, 31, 23, 59))).isEqualTo("9999-12-31T23:59");
        assertThat(Values.toText(LocalDateTime.of(10000, 1, 1, 0, 0, 1))).isEqualTo("+10000-01-01T00:00:01");
        assertThat(Values.toText(OffsetDateTime.of(2024, 2, 29, 0, 0, 0, 1000, ZoneOffset.ofHours(5))))
                .isEqualTo("2024-02-28T19:00:00.000001Z");
    }
}
