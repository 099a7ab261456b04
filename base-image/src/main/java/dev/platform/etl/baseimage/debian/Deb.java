package dev.platform.etl.baseimage.debian;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** A downloaded Debian package: its file and its control paragraph (what dpkg would record). */
public record Deb(Path file, String sha256, String name, String version, String architecture, String control) {

  /** Reads the package's files, as the tar that dpkg would unpack. */
  public <T> T readContents(TarReader<T> reader) throws IOException {
    return new Command(file.getParent(), List.of("dpkg-deb", "--fsys-tarfile", file.toString()))
        .stream(reader::read);
  }

  /** Reads an uncompressed tar stream. */
  public interface TarReader<T> {
    T read(InputStream tar) throws IOException;
  }

  static Deb of(Path file, String sha256) throws IOException {
    String control = new Command(file.getParent(), List.of("dpkg-deb", "-f", file.toString())).output();
    return new Deb(file, sha256, field(control, "Package"), field(control, "Version"),
        field(control, "Architecture"), control.endsWith("\n") ? control : control + "\n");
  }

  private static String field(String control, String name) {
    return control.lines()
        .filter(line -> line.startsWith(name + ": "))
        .map(line -> line.substring(name.length() + 2).strip())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + name + " field in a package's control"));
  }
}
