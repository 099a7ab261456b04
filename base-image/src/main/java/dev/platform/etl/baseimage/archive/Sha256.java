package dev.platform.etl.baseimage.archive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content addresses as image manifests write them. */
final class Sha256 {
  private Sha256() {}

  static String digest(byte[] bytes) {
    MessageDigest digest = newDigest();
    digest.update(bytes);
    return format(digest);
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String format(MessageDigest digest) {
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }
}
