package dev.platform.etl.baseimage.archive;

import dev.platform.etl.baseimage.rootfs.Node;
import dev.platform.etl.baseimage.rootfs.RootFs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A root file system as an image layer: a tar in path order with every time at the epoch and only
 * numeric owners, so the same files give the same bytes, then gzipped.
 *
 * @param diffId the digest of the uncompressed tar, which the image's config lists
 * @param compressed the gzipped tar, which the manifest lists
 */
public record Layer(String diffId, Blob compressed) {
  static final FileTime EPOCH = FileTime.fromMillis(0);

  public static Layer of(RootFs rootFs) throws IOException {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream(1 << 24);
    MessageDigest uncompressed = Sha256.newDigest();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
        new DigestOutputStream(new GZIPOutputStream(gzipped, 1 << 16), uncompressed))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Node node : rootFs.nodes()) {
        tar.putArchiveEntry(entry(node));
        tar.write(node.content());
        tar.closeArchiveEntry();
      }
    }
    return new Layer(Sha256.format(uncompressed), Blob.of(gzipped.toByteArray()));
  }

  private static TarArchiveEntry entry(Node node) {
    TarArchiveEntry entry = switch (node.kind()) {
      case DIRECTORY -> new TarArchiveEntry(node.path() + "/", TarConstants.LF_DIR);
      case SYMLINK -> symlink(node);
      case FILE -> new TarArchiveEntry(node.path(), TarConstants.LF_NORMAL);
    };
    entry.setMode(node.mode());
    entry.setIds(node.uid(), node.gid());
    entry.setUserName("");
    entry.setGroupName("");
    entry.setModTime(EPOCH);
    entry.setSize(node.content().length);
    return entry;
  }

  private static TarArchiveEntry symlink(Node node) {
    TarArchiveEntry entry = new TarArchiveEntry(node.path(), TarConstants.LF_SYMLINK);
    entry.setLinkName(node.linkTarget());
    return entry;
  }
}
