package dev.platform.etl.baseimage;

import dev.platform.etl.baseimage.debian.Deb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything a base image is built from, as text: the definition, each package's exact file, and
 * the builder's own code. Equal text, equal image, so a build whose inputs have not changed is
 * skipped.
 */
final class BuildInputs {
  private BuildInputs() {}

  static String describe(ImageDefinition image, List<Deb> debs) {
    StringBuilder text = new StringBuilder();
    text.append("builder ").append(builderCode()).append('\n');
    text.append("definition ").append(image).append('\n');
    for (Deb deb : debs) {
      text.append(deb.name()).append(' ').append(deb.version()).append(' ').append(deb.sha256()).append('\n');
    }
    return text.toString();
  }

  /** A digest of the builder's classes, wherever they were loaded from (a folder or a jar). */
  private static String builderCode() {
    try {
      Path location = Path.of(BuildInputs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (Stream<Path> files = Files.isDirectory(location) ? Files.walk(location) : Stream.of(location)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          digest.update(location.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
          digest.update(Files.readAllBytes(file));
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
