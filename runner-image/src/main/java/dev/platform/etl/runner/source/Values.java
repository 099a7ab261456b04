package dev.platform.etl.runner.source;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Reads column values as Java values that keep their exact meaning (numeric as BigDecimal,
 * timestamptz as OffsetDateTime with microseconds, json as text), and writes them as the text
 * a checkpoint stores.
 */
public final class Values {
    private Values() {
    }

    @FunctionalInterface
    public interface Reader {
        Object read(ResultSet rs, int index) throws SQLException;
    }

    public static Reader readerFor(String type) {
        return switch (type) {
            case "timestamptz" -> (rs, i) -> rs.getObject(i, OffsetDateTime.class);
            case "timestamp" -> (rs, i) -> rs.getObject(i, LocalDateTime.class);
            case "date" -> (rs, i) -> rs.getObject(i, LocalDate.class);
            case "numeric" -> Values::numeric;
            case "int2", "int4" -> (rs, i) -> nullable(rs, rs.getInt(i));
            case "int8" -> (rs, i) -> nullable(rs, rs.getLong(i));
            case "float4", "float8" -> (rs, i) -> nullable(rs, rs.getDouble(i));
            case "bool" -> (rs, i) -> nullable(rs, rs.getBoolean(i));
            case "uuid" -> (rs, i) -> rs.getObject(i, UUID.class);
            case "bytea" -> ResultSet::getBytes;
            case "json", "jsonb" -> (rs, i) -> {
                String text = rs.getString(i);
                return text == null ? null : new JsonText(text);
            };
            // text, varchar and every other type travel as the server's own text form
            default -> ResultSet::getString;
        };
    }

    /** A BigDecimal, or, for numeric's special values NaN, Infinity and -Infinity, the Double of that value. */
    private static Object numeric(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        return value instanceof Number number && !(value instanceof BigDecimal) ? Double.valueOf(number.doubleValue()) : value;
    }

    private static Object nullable(ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }

    /** Cursor types whose values order like numbers, so that they can version documents. */
    public static final java.util.Set<String> VERSIONABLE_TYPES = java.util.Set.of("timestamptz", "timestamp", "date", "int2", "int4", "int8");

    /** A cursor value as a document version: microseconds for timestamps, days for dates, the number itself. */
    public static long asVersion(Object value) {
        if (value instanceof OffsetDateTime time) {
            return epochMicros(time.toEpochSecond(), time.getNano());
        }
        if (value instanceof LocalDateTime time) {
            return epochMicros(time.toEpochSecond(ZoneOffset.UTC), time.getNano());
        }
        if (value instanceof LocalDate date) {
            return date.toEpochDay();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException("not a versionable cursor value: " + value);
    }

    /** Microseconds since 1970-01-01T00:00:00Z; values come from PostgreSQL, so there is nothing below a microsecond. */
    public static long epochMicros(long epochSecond, int nano) {
        return epochSecond * 1_000_000L + nano / 1_000;
    }

    /** About what a value read takes on the heap: enough to bound a batch by bytes, cheap enough for every value. */
    static long estimatedBytes(Object value) {
        if (value instanceof String text) {
            return 40 + text.length();
        }
        if (value instanceof byte[] bytes) {
            return 16 + bytes.length;
        }
        if (value instanceof JsonText json) {
            return 56 + json.json().length();
        }
        return 24;
    }

    /** The lossless text of a value, as PostgreSQL reads it back: in checkpoints, COPY and bound parameters. */
    public static String toText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime time) {
            return time.equals(OffsetDateTime.MAX) ? "infinity" : time.equals(OffsetDateTime.MIN) ? "-infinity" : instantText(time);
        }
        if (value instanceof LocalDateTime time) {
            return time.equals(LocalDateTime.MAX) ? "infinity" : time.equals(LocalDateTime.MIN) ? "-infinity" : localText(time);
        }
        if (value instanceof LocalDate date) {
            return date.equals(LocalDate.MAX) ? "infinity" : date.equals(LocalDate.MIN) ? "-infinity" : dateText(date);
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + java.util.HexFormat.of().formatHex(bytes);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    // The three below write what Instant, LocalDateTime and LocalDate.toString() write for the years
    // 1 to 9999, without their formatters, which cost more than the rest of a row's work. Other
    // years are written as PostgreSQL reads them: 10000 without a sign, 1 BC as "0001-... BC".

    private static String instantText(OffsetDateTime time) {
        OffsetDateTime utc = time.getOffset() == ZoneOffset.UTC ? time : time.withOffsetSameInstant(ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(32);
        appendDate(text, utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth());
        appendTime(text.append('T'), utc.getHour(), utc.getMinute(), utc.getSecond(), utc.getNano(), true);
        return appendEra(text.append('Z'), utc.getYear());
    }

    private static String localText(LocalDateTime time) {
        StringBuilder text = new StringBuilder(32);
        appendDate(text, time.getYear(), time.getMonthValue(), time.getDayOfMonth());
        appendTime(text.append('T'), time.getHour(), time.getMinute(), time.getSecond(), time.getNano(), false);
        return appendEra(text, time.getYear());
    }

    private static String dateText(LocalDate date) {
        StringBuilder text = new StringBuilder(13);
        appendDate(text, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        return appendEra(text, date.getYear());
    }

    private static String appendEra(StringBuilder text, int year) {
        return (year > 0 ? text : text.append(" BC")).toString();
    }

    /** The year of the era: ISO year 0 is 1 BC. */
    private static void appendDate(StringBuilder text, int year, int month, int day) {
        appendDigits(text, year > 0 ? year : 1 - year, 4);
        appendDigits(text.append('-'), month, 2);
        appendDigits(text.append('-'), day, 2);
    }

    /** Seconds are left out when zero, unless {@code alwaysSeconds}; the fraction in groups of three digits. */
    private static void appendTime(StringBuilder text, int hour, int minute, int second, int nano, boolean alwaysSeconds) {
        appendDigits(text, hour, 2);
        appendDigits(text.append(':'), minute, 2);
        if (alwaysSeconds || second > 0 || nano > 0) {
            appendDigits(text.append(':'), second, 2);
        }
        if (nano == 0) {
            return;
        }
        text.append('.');
        if (nano % 1_000_000 == 0) {
            appendDigits(text, nano / 1_000_000, 3);
        } else if (nano % 1_000 == 0) {
            appendDigits(text, nano / 1_000, 6);
        } else {
            appendDigits(text, nano, 9);
        }
    }

    private static void appendDigits(StringBuilder text, int value, int width) {
        for (int digits = 1, limit = 10; digits < width; digits++, limit *= 10) {
            if (value < limit) {
                text.append('0');
            }
        }
        text.append(value);
    }
}
