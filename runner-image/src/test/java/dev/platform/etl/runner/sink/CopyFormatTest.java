package dev.platform.etl.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.runner.source.Column;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binary COPY is chosen only where every value already has its column's type; ValueFidelityTest covers both formats end to end. */
class CopyFormatTest {
    private static final Map<String, String> TARGET = Map.of("id", "uuid", "title", "varchar", "at", "timestamptz", "tags", "_text");

    @Test
    void valuesOfTheColumnsOwnTypesAreWrittenInBinary() {
        assertThat(CopyBinary.forColumns(List.of(new Column("id", "uuid"), new Column("title", "text"),
                new Column("at", Column.NULL_TYPE)), TARGET)).isPresent();
    }

    @Test
    void anyOtherTypeOrAConversionMeansText() {
        assertThat(CopyBinary.forColumns(List.of(new Column("id", "uuid"), new Column("tags", "_text")), TARGET)).isEmpty();
        assertThat(CopyBinary.forColumns(List.of(new Column("id", "text")), TARGET)).isEmpty();
        assertThat(CopyBinary.forColumns(List.of(new Column("at", "timestamp")), TARGET)).isEmpty();
        assertThat(CopyBinary.forColumns(List.of(new Column("missing", "text")), TARGET)).isEmpty();
    }
}
