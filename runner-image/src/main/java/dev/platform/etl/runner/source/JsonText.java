package dev.platform.etl.runner.source;

/** A json or jsonb value, kept as its text so that it reaches the target unchanged. */
public record JsonText(String json) {
    @Override
    public String toString() {
        return json;
    }
}
