package dev.platform.etl.kubectl;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as kubectl takes them: {@code 30s}, {@code 10m}, {@code 2h}. */
final class DurationOption implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return dev.platform.etl.api.Durations.parse(value);
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration such as 30s, 10m or 2h");
        }
    }
}
