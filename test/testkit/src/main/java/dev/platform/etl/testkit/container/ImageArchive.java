package dev.platform.etl.testkit.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.etl.testkit.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An image as {@code make images} writes it, a tar in the format of {@code docker save}: its id
 * (the digest of its config), what its config says a container runs, and its layers in order.
 */
public record ImageArchive(Path tar, String id, List<String> entrypoint, List<String> cmd, List<String> env,
                           String user, String workingDir) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageArchive {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
    }

    public static ImageArchive read(Path tar) {
        if (!Files.isRegularFile(tar)) {
            throw new IllegalStateException("no image " + tar + ": build it with make images");
        }
        byte[] configBytes = member(tar, "config.json");
        JsonNode config = json(configBytes).path("config");
        return new ImageArchive(tar, "sha256:" + sha256(configBytes), strings(config.path("Entrypoint")),
                strings(config.path("Cmd")), strings(config.path("Env")), config.path("User").asText(""),
                config.path("WorkingDir").asText(""));
    }

    /** The id's hex digits, a name for folders. */
    public String hex() {
        return id.substring("sha256:".length());
    }

    /** The layer files' names inside the tar, bottom first. */
    public List<String> layers() {
        return strings(json(member(tar, "manifest.json")).path(0).path("Layers"));
    }

    /**
     * A copy of this image written to {@code target} whose config names {@code user} instead (an
     * empty one for root, as an image built without a USER runs): the same layers, another id.
     */
    public ImageArchive withUser(String newUser, Path target) {
        try {
            Path dir = Files.createTempDirectory("image-archive");
            try {
                Processes.run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
                Path configFile = dir.resolve("config.json");
                ObjectNode config = (ObjectNode) json(Files.readAllBytes(configFile));
                ((ObjectNode) config.path("config")).put("User", newUser);
                Files.write(configFile, JSON.writeValueAsBytes(config));
                List<String> members = new ArrayList<>(List.of("tar", "-cf", target.toString(), "-C", dir.toString()));
                members.addAll(Processes.run(List.of("tar", "-tf", tar.toString())).lines().toList());
                Files.createDirectories(target.toAbsolutePath().getParent());
                Processes.run(members);
            } finally {
                RootFsCache.delete(dir);
            }
            return read(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uid and gid its config names ({@code 65532:65532}); 0 where it names none. */
    public int[] uidAndGid() {
        if (user.isEmpty()) {
            return new int[] {0, 0};
        }
        String[] parts = user.split(":");
        int uid = Integer.parseInt(parts[0]);
        return new int[] {uid, parts.length > 1 ? Integer.parseInt(parts[1]) : uid};
    }

    private static byte[] member(Path tar, String name) {
        try {
            Path dir = Files.createTempDirectory("image-archive");
            try {
                Processes.run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString(), name));
                return Files.readAllBytes(dir.resolve(name));
            } finally {
                Files.deleteIfExists(dir.resolve(name));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
