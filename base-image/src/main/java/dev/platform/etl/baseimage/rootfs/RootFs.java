package dev.platform.etl.baseimage.rootfs;

import dev.platform.etl.baseimage.debian.Deb;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files of the image, in memory and sorted by path, so that the same packages always give the
 * same layer. Paths are relative ({@code usr/bin/java}); every parent directory exists.
 */
public final class RootFs {
  private final NavigableMap<String, Node> nodes = new TreeMap<>();

  /** Unpacks a package's files that {@code keep} accepts, as dpkg would, without its scripts. */
  public void unpack(Deb deb, Predicate<String> keep) throws IOException {
    deb.readContents(tar -> {
      unpack(deb.name(), tar, keep);
      return null;
    });
  }

  void unpack(String packageName, InputStream in, Predicate<String> keep) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
      String path = normalize(entry.getName());
      if (path.isEmpty() || !keep.test(entry.isDirectory() ? path + "/" : path)) {
        continue;
      }
      int mode = entry.getMode() & 07777;
      if (entry.isDirectory()) {
        add(packageName, Node.directory(path, mode, 0, 0));
      } else if (entry.isSymbolicLink()) {
        add(packageName, Node.symlink(path, entry.getLinkName()));
      } else if (entry.isLink()) {
        add(packageName, Node.file(path, mode, hardLinkTarget(packageName, normalize(entry.getLinkName())).content()));
      } else if (entry.isFile()) {
        add(packageName, Node.file(path, mode, tar.readAllBytes()));
      } else {
        throw new IOException(packageName + " holds " + path + ", which is neither a file, a directory nor a link");
      }
    }
  }

  private Node hardLinkTarget(String packageName, String target) throws IOException {
    Node node = nodes.get(target);
    if (node == null || node.kind() != Node.Kind.FILE) {
      throw new IOException(packageName + " links to " + target + ", which it does not hold");
    }
    return node;
  }

  private void add(String packageName, Node node) throws IOException {
    Node existing = nodes.get(node.path());
    if (existing != null && !existing.sameAs(node) && existing.kind() != Node.Kind.DIRECTORY) {
      throw new IOException(packageName + " holds /" + node.path() + ", which another package holds too");
    }
    put(node);
  }

  /** Adds or replaces a node, creating its missing parents as directories root may write. */
  public void put(Node node) {
    String path = normalize(node.path());
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      nodes.putIfAbsent(path.substring(0, slash), Node.directory(path.substring(0, slash), 0755, 0, 0));
    }
    nodes.put(path, path.equals(node.path()) ? node
        : new Node(path, node.kind(), node.mode(), node.uid(), node.gid(), node.content(), node.linkTarget()));
  }

  public Node get(String path) {
    return nodes.get(normalize(path));
  }

  /** The nodes inside a directory, at any depth, in path order. */
  public List<Node> under(String directory) {
    String prefix = normalize(directory) + "/";
    return nodes.tailMap(prefix, true).values().stream()
        .takeWhile(n -> n.path().startsWith(prefix))
        .toList();
  }

  public Collection<Node> nodes() {
    return nodes.values();
  }

  static String normalize(String name) {
    String path = name;
    while (path.startsWith("./") || path.startsWith("/")) {
      path = path.substring(path.startsWith("./") ? 2 : 1);
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
