package dev.platform.etl.baseimage.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class RootFsTest {

  @Test
  void aPackageUnpacksWithItsModesLinksAndMissingParents() throws IOException {
    RootFs rootFs = new RootFs();

    rootFs.unpack("pkg", tar(
        file("./usr/lib/x/libz.so.1.2", 0644, "zlib"),
        link("./usr/lib/x/libz.so.1", TarConstants.LF_SYMLINK, "libz.so.1.2"),
        link("./usr/lib/x/libz-hard.so", TarConstants.LF_LINK, "./usr/lib/x/libz.so.1.2"),
        file("./usr/bin/tool", 0755, "#!")), path -> true);

    assertThat(rootFs.get("usr/lib/x").kind()).isEqualTo(Node.Kind.DIRECTORY);
    assertThat(rootFs.get("usr/lib/x/libz.so.1").linkTarget()).isEqualTo("libz.so.1.2");
    assertThat(rootFs.get("usr/lib/x/libz-hard.so").content()).asString(StandardCharsets.UTF_8).isEqualTo("zlib");
    assertThat(rootFs.get("usr/bin/tool").mode()).isEqualTo(0755);
  }

  @Test
  void onlyThePathsAPackageKeepsAreUnpacked() throws IOException {
    RootFs rootFs = new RootFs();

    rootFs.unpack("libc-bin", tar(file("./usr/bin/locale", 0755, "elf"),
        file("./usr/lib/locale/C.utf8/LC_CTYPE", 0644, "ctype")), path -> path.startsWith("usr/lib/locale/"));

    assertThat(rootFs.get("usr/lib/locale/C.utf8/LC_CTYPE")).isNotNull();
    assertThat(rootFs.get("usr/bin/locale")).isNull();
  }

  @Test
  void twoPackagesWithDifferentFilesAtOnePathAreRefused() throws IOException {
    RootFs rootFs = new RootFs();
    rootFs.unpack("one", tar(file("./etc/thing", 0644, "one")), path -> true);

    assertThatThrownBy(() -> rootFs.unpack("two", tar(file("./etc/thing", 0644, "two")), path -> true))
        .hasMessage("two holds /etc/thing, which another package holds too");
  }

  private record Entry(TarArchiveEntry header, byte[] content) {}

  private static Entry file(String name, int mode, String content) {
    TarArchiveEntry header = new TarArchiveEntry(name);
    header.setMode(mode);
    header.setSize(content.length());
    return new Entry(header, content.getBytes(StandardCharsets.UTF_8));
  }

  private static Entry link(String name, byte type, String target) {
    TarArchiveEntry header = new TarArchiveEntry(name, type);
    header.setLinkName(target);
    return new Entry(header, new byte[0]);
  }

  private static InputStream tar(Entry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (Entry entry : entries) {
        tar.putArchiveEntry(entry.header());
        tar.write(entry.content());
        tar.closeArchiveEntry();
      }
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }
}
