package dev.platform.etl.runner.sink;

import dev.platform.etl.runner.source.JsonText;
import dev.platform.etl.runner.source.Values;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Rows in PostgreSQL's COPY text format, as UTF-8: tab-separated, {@code \N} for NULL, backslash escapes. */
final class CopyText {
    private CopyText() {
    }

    static byte[] encode(List<Object[]> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 128);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                appendValue(text, row[i]);
            }
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendValue(StringBuilder text, Object value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        String plain = value instanceof String string ? string : value instanceof JsonText json ? json.json() : Values.toText(value);
        if (!needsEscapes(plain)) {
            text.append(plain);
            return;
        }
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    private static boolean needsEscapes(String plain) {
        return plain.indexOf('\\') >= 0 || plain.indexOf('\t') >= 0 || plain.indexOf('\n') >= 0 || plain.indexOf('\r') >= 0;
    }
}
