package dev.platform.etl.api.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
    @Test
    void unsetVariablesGiveInfoAsText() {
        assertThat(LogSettings.fromEnvironment(Map.of(), "ETL_")).isEqualTo(LogSettings.DEFAULT).isEqualTo(new LogSettings("info", "text"));
    }

    @Test
    void theRunnersSettingsAreReadUnderTheirOwnPrefix() {
        Map<String, String> env = Map.of("ETL_LOG_LEVEL", "warn", "ETL_RUNNER_LOG_LEVEL", "debug", "ETL_RUNNER_LOG_FORMAT", "json");

        assertThat(LogSettings.fromEnvironment(env, "ETL_")).isEqualTo(new LogSettings("warn", "text"));
        assertThat(LogSettings.fromEnvironment(env, "ETL_RUNNER_")).isEqualTo(new LogSettings("debug", "json"));
    }

    @Test
    void aValueLogbackWouldTakeSilentlyIsRefusedNamingTheVariableAndTheChoices() {
        assertThatThrownBy(() -> LogSettings.fromEnvironment(Map.of("ETL_LOG_LEVEL", "verbose"), "ETL_"))
                .hasMessage("ETL_LOG_LEVEL 'verbose' is not one of error, warn, info, debug, trace");
        assertThatThrownBy(() -> LogSettings.fromEnvironment(Map.of("ETL_RUNNER_LOG_FORMAT", "JSON"), "ETL_RUNNER_"))
                .hasMessage("ETL_RUNNER_LOG_FORMAT 'JSON' is not one of text, json");
    }
}
