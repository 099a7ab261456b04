package dev.platform.etl.runner.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Values writes dates and times itself, for speed: for the years 1 to 9999 exactly what java.time
 * writes; outside them, what PostgreSQL reads (java.time's "-0043" and "+10000" it refuses).
 */
class ValuesTextTest {
    private static final long YEAR_1 = -62_135_596_800L;
    private static final long YEAR_10000 = 253_402_300_800L;

    @Test
    void fromYear1To9999TheTextIsJavaTimes() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long second = YEAR_1 + 86_400 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_1 - 2 * 86_400));
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
    void infinitiesAndYearsOutsideJavaTimesCommonGround() {
        assertThat(Values.toText(OffsetDateTime.MAX)).isEqualTo("infinity");
        assertThat(Values.toText(LocalDate.MIN)).isEqualTo("-infinity");
        assertThat(Values.toText(LocalDate.of(1, 1, 1))).isEqualTo("0001-01-01");
        assertThat(Values.toText(LocalDate.of(0, 12, 31))).isEqualTo("0001-12-31 BC");
        assertThat(Values.toText(LocalDate.of(-4712, 1, 1))).isEqualTo("4713-01-01 BC");
        assertThat(Values.toText(LocalDateTime.of(-43, 3, 15, 12, 0))).isEqualTo("0044-03-15T12:00 BC");
        assertThat(Values.toText(OffsetDateTime.of(-43, 3, 15, 12, 0, 0, 500_000_000, ZoneOffset.UTC)))
                .isEqualTo("0044-03-15T12:00:00.500Z BC");
        assertThat(Values.toText(LocalDateTime.of(9999, 12, 31, 23, 59))).isEqualTo("9999-12-31T23:59");
        assertThat(Values.toText(LocalDateTime.of(10000, 1, 1, 0, 0, 1))).isEqualTo("10000-01-01T00:00:01");
        assertThat(Values.toText(OffsetDateTime.of(2024, 2, 29, 0, 0, 0, 1000, ZoneOffset.ofHours(5))))
                .isEqualTo("2024-02-28T19:00:00.000001Z");
    }
}
