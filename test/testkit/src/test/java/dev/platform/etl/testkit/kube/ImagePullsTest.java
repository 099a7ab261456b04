package dev.platform.etl.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test bed's kubelet reads image references, and backs off failed pulls, as the real one does. */
class ImagePullsTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void referencesParseAsTheContainerRuntimeParsesThem() {
        for (String valid : new String[] {"etl-runner", "etl-runner:0.1.0", "ghcr.io/etl/etl-runner:0.1.0", "localhost:5000/etl_runner",
                "registry.example:443/a/b/c:v1.2-rc.3", "etl-runner@sha256:" + "a".repeat(64)}) {
            assertThat(ImagePulls.invalidReference(valid)).as(valid).isEmpty();
        }
        assertThat(ImagePulls.invalidReference("Etl-Runner:0.1.0"))
                .hasValue("invalid reference format: repository name (library/Etl-Runner) must be lowercase");
        assertThat(ImagePulls.invalidReference("ghcr.io/etl/Etl-Runner")).hasValue("invalid reference format: repository name (etl/Etl-Runner) must be lowercase");
        assertThat(ImagePulls.invalidReference("etl-runner:bad tag")).hasValue("invalid reference format");
        assertThat(ImagePulls.invalidReference("etl-runner::1")).hasValue("invalid reference format");
    }

    @Test
    void aMissingImageFailsEachPullAndBacksOffInBetweenWithThePullsError() {
        ImagePulls pulls = new ImagePulls(image -> false);
        PodProcess run = new PodProcess("uid", "ns", "p-1-abcde", "runner", "etl-runner-missing:1", Path.of("."), Map.of());

        ImagePulls.Waiting first = pulls.check(run, NOW).orElseThrow();
        ImagePulls.Waiting backingOff = pulls.check(run, NOW.plusSeconds(9)).orElseThrow();
        ImagePulls.Waiting second = pulls.check(run, NOW.plusSeconds(10)).orElseThrow();
        ImagePulls.Waiting stillBackingOff = pulls.check(run, NOW.plusSeconds(29)).orElseThrow();

        assertThat(first.reason()).isEqualTo("ErrImagePull");
        assertThat(first.message()).startsWith("failed to pull and unpack image \"etl-runner-missing:1\"");
        assertThat(backingOff.reason()).isEqualTo("ImagePullBackOff");
        assertThat(backingOff.message()).isEqualTo("Back-off pulling image \"etl-runner-missing:1\": ErrImagePull: " + first.message());
        assertThat(second.reason()).as("the next pull, 10 s later").isEqualTo("ErrImagePull");
        assertThat(stillBackingOff.reason()).as("then 20 s of back-off").isEqualTo("ImagePullBackOff");
        assertThat(new ImagePulls(image -> true).check(run, NOW)).as("an image at hand").isEmpty();
    }
}
