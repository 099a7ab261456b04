package dev.platform.etl.baseimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real build, from Debian's archive (packages cached between runs), of one architecture. */
class BaseImageBuildTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path out;
  static Path first;
  static String firstId;

  @BeforeAll
  static void build() throws IOException {
    first = out.resolve("first.tar");
    firstId = buildInto(first);
  }

  @Test
  void aSecondBuildOfTheSamePackagesGivesTheSameBytes() throws IOException {
    Path second = out.resolve("second.tar");
    String secondId = buildInto(second);

    assertThat(secondId).isEqualTo(firstId);
    assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
  }

  @Test
  void theImageRunsAsNonRootInUtf8AndNamesItsPackageVersions() throws IOException {
    JsonNode config = JSON.readTree(archiveEntries(first).get("config.json"));

    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    assertThat(config.path("config").path("User").asText()).isEqualTo("65532:65532");
    assertThat(config.path("config").path("Env").toString())
        .contains("LANG=C.UTF-8", "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64");
    assertThat(config.path("config").path("Labels").path("dev.platform.etl.base.packages").asText())
        .contains("openjdk-17-jre-headless=17.", "libc6=2.", "ca-certificates=");
  }

  @Test
  void theLayerHoldsWhatTheMaintainerScriptsWouldHaveMadeAndNoDocumentation() throws IOException {
    Map<String, TarArchiveEntry> layer = layerEntries(first);

    assertThat(layer).containsKeys(
        "etc/ssl/certs/java/cacerts", "etc/ssl/certs/ca-certificates.crt", "etc/passwd",
        "usr/lib/locale/C.utf8/LC_CTYPE", "var/lib/dpkg/status.d/openjdk-17-jre-headless",
        "usr/share/doc/openjdk-17-jre-headless/copyright", "usr/share/zoneinfo/Europe/Paris");
    assertThat(layer.get("usr/bin/java").getLinkName()).isEqualTo("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    assertThat(layer.get("tmp/").getMode() & 07777).isEqualTo(01777);
    assertThat(layer.get("home/nonroot/").getLongUserId()).isEqualTo(65532);
    assertThat(layer.keySet()).noneMatch(path -> path.startsWith("usr/share/man/"))
        .noneMatch(path -> path.equals("usr/bin/locale"))
        .noneMatch(path -> path.startsWith("usr/share/doc/") && path.endsWith("changelog.Debian.gz"));
  }

  private static String buildInto(Path tar) throws IOException {
    ImageDefinition image = ImageDefinition.read(Path.of("image.yaml"));
    BaseImageBuilder builder = new BaseImageBuilder();
    return builder.build(image, "amd64", builder.packages(image, "amd64"), tar);
  }

  private static Map<String, byte[]> archiveEntries(Path tar) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static Map<String, TarArchiveEntry> layerEntries(Path tar) throws IOException {
    Map<String, byte[]> archive = archiveEntries(tar);
    String layerFile = JSON.readTree(archive.get("manifest.json")).path(0).path("Layers").path(0).asText();
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    try (InputStream gzip = new GZIPInputStream(new java.io.ByteArrayInputStream(archive.get(layerFile)));
        TarArchiveInputStream in = new TarArchiveInputStream(gzip)) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }
}
