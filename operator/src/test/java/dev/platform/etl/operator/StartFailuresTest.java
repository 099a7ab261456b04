package dev.platform.etl.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** What the operator's process says, and how it exits, when it cannot start: one line, never a stack trace. */
class StartFailuresTest {
    @TempDir
    Path dir;

    @Test
    void anApiServerThatDoesNotAnswerIsOneErrorLineNamingItAndExitOne() throws Exception {
        Exit exit = operator(Map.of("KUBERNETES_MASTER", "https://127.0.0.1:1", "KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "0"));

        assertThat(exit.code()).as(exit.stderr()).isEqualTo(1);
        assertThat(exit.stderr().lines().toList()).singleElement().asString()
                .contains("[ERROR]", "cannot start: cannot list EtlPipelines in all namespaces: the API server at https://127.0.0.1:1/ does not answer (");
    }

    @Test
    void aMisspeltLogSettingIsRefusedBeforeAnythingStarts() throws Exception {
        Exit exit = operator(Map.of("ETL_LOG_FORMAT", "yaml"));

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr().strip())
                .isEqualTo("etl-operator: invalid configuration, nothing was started: ETL_LOG_FORMAT 'yaml' is not one of text, json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ETL_RUNNER_JOB_HISTORY | 0 | ETL_RUNNER_JOB_HISTORY (runner.jobHistory) must be at least 1",
            "ETL_OPERATOR_HTTP_PORT | eighty | ETL_OPERATOR_HTTP_PORT 'eighty' is not a whole number",
            "ETL_PROGRESS_REFRESH | soon | ETL_PROGRESS_REFRESH 'soon' is not a duration"})
    void anInvalidSettingIsRefusedInOneLineNamingIt(String variable, String value, String message) throws Exception {
        Exit exit = operator(Map.of(variable, value));

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr().strip()).startsWith("etl-operator: invalid configuration, nothing was started: ").contains(message)
                .doesNotContain("\n");
    }

    private record Exit(int code, String stderr) {
    }

    /** The operator's main in its own JVM, with no kubeconfig but what {@code env} says. */
    private Exit operator(Map<String, String> env) throws IOException, InterruptedException {
        Path stderr = dir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), EtlOperator.class.getName()))
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.startsWith("ETL_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(Map.of("KUBECONFIG", dir.resolve("no-kubeconfig").toString(), "ETL_LEADER_ELECTION", "false"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the operator did not exit: " + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return new Exit(process.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
