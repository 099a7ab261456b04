package dev.platform.etl.runner.redact;

import static dev.platform.etl.runner.support.TestPipelines.filmDim;
import static dev.platform.etl.runner.support.TestPipelines.filmIndex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.runner.support.Jvm;
import dev.platform.etl.runner.support.RunOutput;
import dev.platform.etl.runner.support.RunnerFixture;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recognisable password is planted where each failure would carry it, and every channel a
 * runner writes to is read: stdout with the summary, stderr with the log, the termination
 * message, {@code etl.pipeline_run} and {@code etl-runner status}. None may hold it.
 */
class SecretsStayOutOfEveryOutputTest {
    private static final String PLANTED = "Pl4nted-S3cret-9f2c";
    private static final String INDEX = "secret_films";

    @TempDir
    Path dir;

    private RunnerFixture fixture;
    private Path terminationMessage;

    @BeforeEach
    void fixture() {
        fixture = RunnerFixture.withFilms(dir, 3);
        terminationMessage = dir.resolve("termination-message");
        fixture.environment().put(PodEnvironment.TERMINATION_LOG, terminationMessage.toString());
    }

    @Test
    void aYamlErrorOnTheLineOfAPasswordDoesNotPrintTheLine() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: extra}
                stringData:
                  password: "%s
                  other: [
                """.formatted(PLANTED));

        RunOutput run = runFilmDim("-f", broken.toString());

        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains("broken.yaml: not readable as YAML: line");
        assertNoChannelHoldsThePlantedValue(run, "film-dim");
    }

    @Test
    void aSecretOfTheWrongShapeIsNamedByItsFieldNotItsValue() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: extra}
                stringData: {password: [%s]}
                """.formatted(PLANTED));

        RunOutput run = runFilmDim("-f", wrong.toString());

        assertThat(run.result()).isEqualTo("INVALID");
        assertThat(run.message()).contains("invalid Secret extra: stringData.password: must be a string");
        assertNoChannelHoldsThePlantedValue(run, "film-dim");
    }

    @ParameterizedTest(name = "{0} log")
    @ValueSource(strings = {"text", "json"})
    void anElasticsearchUrlWithUserInfoThatCannotBeParsedIsMaskedEverywhere(String logFormat) throws Exception {
        fixture.environment().put(LogSettings.FORMAT, logFormat);
        fixture.allowElasticsearch("htt p://elastic:" + PLANTED + "@localhost:9200", INDEX);

        RunOutput run = runFilmIndex();

        assertThat(run.result()).isIn("FAILED", "INVALID");
        assertNoChannelHoldsThePlantedValue(run, "secret-films");
    }

    @ParameterizedTest(name = "{0} log")
    @ValueSource(strings = {"text", "json"})
    void anElasticsearchThatDoesNotAnswerLeavesThePasswordInNoOutput(String logFormat) throws Exception {
        fixture.environment().put(LogSettings.FORMAT, logFormat);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        fixture.allowElasticsearch("http://elastic:" + PLANTED + "@127.0.0.1:" + closedPort, INDEX);

        RunOutput run = runFilmIndex();

        assertThat(run.result()).isEqualTo("FAILED");
        assertThat(fixture.count("SELECT count(*) FROM etl.pipeline_run WHERE pipeline = 'etl-test/secret-films' AND error IS NOT NULL"))
                .as("the failure is recorded").isPositive();
        assertNoChannelHoldsThePlantedValue(run, "secret-films");
    }

    private RunOutput runFilmDim(String... extra) {
        Path pipeline = fixture.writePipeline(filmDim("film-dim").batchSize(10));
        return fixture.startProcess(pipeline, Jvm.SMALL, extra).await(Duration.ofMinutes(1));
    }

    private RunOutput runFilmIndex() {
        Path pipeline = fixture.writePipeline(filmIndex("secret-films", INDEX).batchSize(10));
        return fixture.startProcess(pipeline, Jvm.SMALL).await(Duration.ofMinutes(1));
    }

    private void assertNoChannelHoldsThePlantedValue(RunOutput run, String pipeline) throws Exception {
        List<String> channels = new ArrayList<>(List.of(run.stdout(), run.stderr()));
        assertThat(terminationMessage).as("the termination message was written").exists();
        channels.add(Files.readString(terminationMessage));
        if (fixture.text("SELECT to_regclass('etl.pipeline_run')::text") != null) {
            channels.add(String.valueOf(fixture.strings("SELECT error FROM etl.pipeline_run")));
            channels.add(fixture.cli("status", "--pipeline", "etl-test/" + pipeline, "--control-db", fixture.controlDbUrl()).stdout());
        }
        assertThat(channels).allSatisfy(channel -> assertThat(channel).doesNotContain(PLANTED));
    }
}
