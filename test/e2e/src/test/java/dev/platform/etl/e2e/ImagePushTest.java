package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.testkit.container.ImageArchive;
import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.process.Daemon;
import dev.platform.etl.testkit.process.Ports;
import dev.platform.etl.testkit.process.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code make push} does after {@code make images} ({@code tools/push-images.sh}), against a
 * real registry: Debian's docker-registry on loopback, over plain HTTP. Both images land under one
 * tag for amd64 and arm64, each platform's image is the one built, and the digest printed is the one
 * the registry serves.
 */
class ImagePushTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> IMAGES = List.of("etl-runner", "etl-operator");
    private static final List<String> ARCHITECTURES = List.of("amd64", "arm64");
    @TempDir
    Path directory;
    private Daemon registry;
    private String address;

    @BeforeEach
    void startRegistry() throws Exception {
        assumeTrue(onPath("skopeo") && onPath("docker-registry"), "skopeo and docker-registry are needed: make registry installs them as root");
        address = "127.0.0.1:" + Ports.free();
        Path config = Files.writeString(directory.resolve("config.yml"), "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: "
                + directory.resolve("data") + "\nhttp:\n  addr: " + address + "\n");
        registry = Daemon.start("docker-registry", List.of("docker-registry", "serve", config.toString()), directory.resolve("registry.log"));
        HttpClient http = HttpClient.newHttpClient();
        await("the registry serving").atMost(Duration.ofMinutes(1)).ignoreException(IOException.class).until(() -> {
            registry.checkAlive();
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void bothImagesArePushedUnderOneTagForBothArchitecturesWithTheDigestsPrinted() throws Exception {
        Processes.Result push = push("0.1.0-test");

        assertThat(push.exitCode()).as(push.output()).isZero();
        for (String image : IMAGES) {
            String reference = address + "/platform/" + image + ":0.1.0-test";
            JsonNode index = JSON.readTree(skopeo("inspect", "--raw", "docker://" + reference));
            assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
            List<String> platforms = new ArrayList<>();
            index.path("manifests").forEach(m -> platforms.add(m.path("platform").path("os").asText() + "/" + m.path("platform").path("architecture").asText()));
            assertThat(platforms).containsExactlyInAnyOrder("linux/amd64", "linux/arm64");
            String digest = JSON.readTree(skopeo("inspect", "docker://" + reference)).path("Digest").asText();
            assertThat(push.output().lines()).as("the digest to pin in the chart's image.digest").contains(reference + "@" + digest);
            for (String architecture : ARCHITECTURES) {
                ImageArchive built = ImageArchive.read(SharedCluster.imageFolder().resolve(image + "-" + architecture + ".tar"));
                JsonNode config = JSON.readTree(skopeo("inspect", "--config", "--override-arch", architecture, "docker://" + reference));
                assertThat(config.path("architecture").asText()).isEqualTo(architecture);
                assertThat(config.path("config").path("User").asText()).isEqualTo(built.user()).isEqualTo("65532:65532");
                assertThat(JSON.convertValue(config.path("config").path("Entrypoint"), List.class)).isEqualTo(built.entrypoint());
            }
        }
    }

    @Test
    void aTagThatIsNotATagIsRefusedBeforeAnythingIsPushed() throws Exception {
        Processes.Result push = push("1.0 beta");

        assertThat(push.exitCode()).isEqualTo(2);
        assertThat(push.output()).contains("TAG '1.0 beta' is not a valid image tag");
        String catalog = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/_catalog")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(JSON.readTree(catalog).path("repositories")).isEmpty();
    }

    private Processes.Result push(String tag) throws Exception {
        Path log = directory.resolve("push-" + tag.hashCode() + ".log");
        ProcessBuilder builder = new ProcessBuilder(RepositoryRoot.find().resolve("tools/push-images.sh").toString())
                .directory(RepositoryRoot.find().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("REGISTRY", address + "/platform", "TAG", tag,
                "SKOPEO_FLAGS", "--dest-tls-verify=false", "IMAGES", SharedCluster.imageFolder().toString()));
        Process process = builder.start();
        // four images converted and pushed: minutes on a loaded machine, not hours
        assertThat(process.waitFor(20, TimeUnit.MINUTES)).as("the push finished").isTrue();
        return new Processes.Result(process.exitValue(), Files.readString(log));
    }

    private static String skopeo(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", args[0], "--tls-verify=false"));
        command.addAll(List.of(args).subList(1, args.length));
        return Processes.run(command);
    }

    private static boolean onPath(String command) {
        return Processes.execute(List.of("sh", "-c", "command -v " + command)).exitCode() == 0;
    }
}
