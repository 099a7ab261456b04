package dev.platform.etl.runner.redact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes bytes on a line at a time, each line redacted whole: a value split across two writes is
 * still found. A line without its end yet waits for it, unless it grows past {@link #LONGEST}.
 */
final class RedactingLines extends OutputStream {
    private static final int LONGEST = 1 << 20;

    private final OutputStream out;
    private final Redaction redaction;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    RedactingLines(OutputStream out, Redaction redaction) {
        this.out = out;
        this.redaction = redaction;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n' || line.size() >= LONGEST) {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        line.write(bytes, start, offset + length - start);
        if (line.size() >= LONGEST) {
            emit();
        }
    }

    private void emit() throws IOException {
        out.write(redaction.apply(line.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        line.reset();
        out.flush();
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            emit();
        }
        out.close();
    }
}
