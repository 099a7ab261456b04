package dev.platform.etl.baseimage.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.SortedMap;

/** An image's configuration, in the JSON of the OCI and Docker image specs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"architecture", "variant", "os", "created", "config", "rootfs", "history"})
public record ImageConfig(
    String architecture,
    String variant,
    String os,
    String created,
    Container config,
    RootFs rootfs,
    List<History> history) {

  static final String CREATED = "1970-01-01T00:00:00Z";

  @JsonPropertyOrder({"User", "Env", "WorkingDir", "Labels"})
  public record Container(
      @JsonProperty("User") String user,
      @JsonProperty("Env") List<String> env,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("Labels") SortedMap<String, String> labels) {}

  @JsonPropertyOrder({"type", "diff_ids"})
  public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

  @JsonPropertyOrder({"created", "created_by"})
  public record History(String created, @JsonProperty("created_by") String createdBy) {}

  /** A Linux image of one layer, created at the epoch so that its digest depends on its files alone. */
  public static ImageConfig linux(String debianArchitecture, Container container, Layer layer, String createdBy) {
    boolean arm64 = debianArchitecture.equals("arm64");
    return new ImageConfig(debianArchitecture, arm64 ? "v8" : null, "linux", CREATED, container,
        new RootFs("layers", List.of(layer.diffId())), List.of(new History(CREATED, createdBy)));
  }
}
