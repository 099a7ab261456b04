package dev.platform.etl.baseimage.rootfs;

import java.util.Arrays;

/** One entry of a root file system: a directory, a file with its bytes, or a symbolic link. */
public record Node(String path, Kind kind, int mode, int uid, int gid, byte[] content, String linkTarget) {
  public enum Kind { DIRECTORY, FILE, SYMLINK }

  public static Node directory(String path, int mode, int uid, int gid) {
    return new Node(path, Kind.DIRECTORY, mode, uid, gid, new byte[0], "");
  }

  public static Node file(String path, int mode, byte[] content) {
    return new Node(path, Kind.FILE, mode, 0, 0, content, "");
  }

  public static Node symlink(String path, String target) {
    return new Node(path, Kind.SYMLINK, 0777, 0, 0, new byte[0], target);
  }

  boolean sameAs(Node other) {
    return kind == other.kind && mode == other.mode && linkTarget.equals(other.linkTarget)
        && Arrays.equals(content, other.content);
  }
}
