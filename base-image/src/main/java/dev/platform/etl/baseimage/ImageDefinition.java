package dev.platform.etl.baseimage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.platform.etl.baseimage.debian.AptSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the base image holds: {@code base-image/image.yaml}. */
public record ImageDefinition(
    List<AptSource> suites,
    Path keyring,
    List<String> architectures,
    List<Package> packages,
    User user) {

  /** A Debian package; {@code keep}, when given, are the only path prefixes taken from it. */
  public record Package(String name, List<String> keep) {
    public Package {
      keep = keep == null ? List.of() : List.copyOf(keep);
    }

    public boolean keeps(String path) {
      return keep.isEmpty() || keep.stream().anyMatch(path::startsWith);
    }
  }

  /** The user the image runs as; its group has the same name and id. */
  public record User(String name, int uid) {}

  public ImageDefinition {
    suites = List.copyOf(suites);
    architectures = List.copyOf(architectures);
    packages = List.copyOf(packages);
  }

  public static ImageDefinition read(Path file) throws IOException {
    return new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(file.toFile(), ImageDefinition.class);
  }

  public List<String> packageNames() {
    return packages.stream().map(Package::name).toList();
  }

  public Package packageNamed(String name) {
    return packages.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no package " + name + " in the definition"));
  }
}
