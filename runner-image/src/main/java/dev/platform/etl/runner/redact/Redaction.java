package dev.platform.etl.runner.redact;

import ch.qos.logback.core.encoder.JsonEscapeUtil;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one step every text that may carry input passes before it reaches an output: the log, the
 * summary, the termination message, the control schema. It replaces the confidential values of
 * the Secrets in play, and whatever looks like a credential inside a URL, with {@value #MASK}.
 * The values are learnt as the run reads its Secrets; the URL rules apply from the start.
 */
public final class Redaction {
    public static final String MASK = "***";
    /** {@code scheme://user:password@host}: the password; {@code :\/\/} is how a JSON log line writes {@code ://}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*:(?:\\\\?/){2}[^/@\\s:]*):[^/@\\s]*@");
    /** {@code ?password=...} or {@code &password=...} in a JDBC URL, up to a quote (in a JSON log line, {@code \"}). */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)\\b(password=)(?:[^&\\s;\"\\\\]|\\\\(?!\"))*");

    private final Set<String> confidential = ConcurrentHashMap.newKeySet();
    private volatile List<String> longestFirst = List.of();

    public void learn(Collection<String> values) {
        boolean added = false;
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                added |= confidential.add(value);
                // as a JSON log line (ETL_LOG_FORMAT=json) writes it: a value with / or " is escaped there
                added |= confidential.add(JsonEscapeUtil.jsonEscapeString(value));
            }
        }
        if (added) {
            // a value that holds another is replaced first, whole
            longestFirst = confidential.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** The text with every confidential value and URL credential masked; null stays null. */
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String value : longestFirst) {
            if (redacted.contains(value)) {
                redacted = redacted.replace(value, MASK);
            }
        }
        redacted = URL_PASSWORD.matcher(redacted).replaceAll("$1:" + MASK + "@");
        return PASSWORD_PARAMETER.matcher(redacted).replaceAll("$1" + MASK);
    }

    /** A stream that writes what {@code out} is given, a line at a time, each line redacted. */
    public PrintStream redacting(OutputStream out) {
        return new PrintStream(new RedactingLines(out, this), true, StandardCharsets.UTF_8);
    }
}
