package dev.platform.etl.baseimage.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image in the tar format of {@code docker save}: what {@code docker load}, {@code kind load
 * image-archive}, {@code skopeo copy docker-archive:} and Jib's {@code tar://} base all read.
 */
public final class DockerArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerArchive() {}

  @JsonPropertyOrder({"Config", "RepoTags", "Layers"})
  private record ManifestEntry(
      @JsonProperty("Config") String config,
      @JsonProperty("RepoTags") List<String> repoTags,
      @JsonProperty("Layers") List<String> layers) {}

  /** Writes the archive (through a temporary file, so a failed build leaves no half tar) and returns the image id. */
  public static String write(Path file, String repoTag, ImageConfig config, Layer layer) throws IOException {
    Blob configJson = Blob.of(json(config));
    String layerFile = layer.compressed().hex() + ".tar.gz";
    Blob manifest = Blob.of(json(List.of(new ManifestEntry("config.json", List.of(repoTag), List.of(layerFile)))));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (OutputStream out = Files.newOutputStream(partial);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      add(tar, layerFile, layer.compressed().bytes());
      add(tar, "config.json", configJson.bytes());
      add(tar, "manifest.json", manifest.bytes());
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return configJson.digest();
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setMode(0644);
    entry.setIds(0, 0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setModTime(Layer.EPOCH);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static byte[] json(Object value) throws JsonProcessingException {
    return JSON.writeValueAsBytes(value);
  }
}
