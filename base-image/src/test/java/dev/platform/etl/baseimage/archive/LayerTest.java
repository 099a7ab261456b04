package dev.platform.etl.baseimage.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.baseimage.rootfs.Node;
import dev.platform.etl.baseimage.rootfs.RootFs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class LayerTest {

  @Test
  void theSameFilesGiveTheSameBytesWhateverTheOrderTheyWereAddedIn() throws IOException {
    RootFs forward = new RootFs();
    RootFs backward = new RootFs();
    List<Node> nodes = sampleNodes();
    nodes.forEach(forward::put);
    List<Node> reversed = new ArrayList<>(nodes);
    Collections.reverse(reversed);
    reversed.forEach(backward::put);

    Layer one = Layer.of(forward);
    Layer other = Layer.of(backward);

    assertThat(other.diffId()).isEqualTo(one.diffId());
    assertThat(other.compressed().bytes()).isEqualTo(one.compressed().bytes());
    assertThat(one.compressed().digest()).isEqualTo(Sha256.digest(one.compressed().bytes()));
  }

  @Test
  void entriesComeParentsFirstWithEpochTimesNumericOwnersAndTheirModes() throws IOException {
    RootFs rootFs = new RootFs();
    sampleNodes().forEach(rootFs::put);

    List<TarArchiveEntry> entries = read(Layer.of(rootFs));

    assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly(
        "etc/", "etc/passwd", "home/", "home/nonroot/", "tmp/", "usr/", "usr/bin/", "usr/bin/java",
        "usr/lib/", "usr/lib/jvm/", "usr/lib/jvm/jre/", "usr/lib/jvm/jre/bin/", "usr/lib/jvm/jre/bin/java");
    assertThat(entries).allSatisfy(e -> {
      assertThat(e.getModTime().getTime()).isZero();
      assertThat(e.getUserName()).isEmpty();
      assertThat(e.getGroupName()).isEmpty();
    });
    assertThat(entry(entries, "tmp/").getMode() & 07777).isEqualTo(01777);
    assertThat(entry(entries, "home/nonroot/").getLongUserId()).isEqualTo(65532);
    assertThat(entry(entries, "usr/bin/java").getLinkName()).isEqualTo("/usr/lib/jvm/jre/bin/java");
    assertThat(entry(entries, "usr/lib/jvm/jre/bin/java").getMode() & 07777).isEqualTo(0755);
  }

  private static List<Node> sampleNodes() {
    return List.of(
        Node.file("usr/lib/jvm/jre/bin/java", 0755, "ELF".getBytes(StandardCharsets.UTF_8)),
        Node.symlink("usr/bin/java", "/usr/lib/jvm/jre/bin/java"),
        Node.file("etc/passwd", 0644, "root:x:0:0::/root:/sbin/nologin\n".getBytes(StandardCharsets.UTF_8)),
        Node.directory("tmp", 01777, 0, 0),
        Node.directory("home/nonroot", 0700, 65532, 65532));
  }

  private static List<TarArchiveEntry> read(Layer layer) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new ByteArrayInputStream(layer.compressed().bytes())))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        entries.add(e);
      }
    }
    return entries;
  }

  private static TarArchiveEntry entry(List<TarArchiveEntry> entries, String name) {
    return entries.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }
}
