package dev.platform.etl.baseimage.archive;

/** Bytes of an image and their content address, {@code sha256:<hex>}. */
public record Blob(byte[] bytes, String digest) {
  public static Blob of(byte[] bytes) {
    return new Blob(bytes, Sha256.digest(bytes));
  }

  public String hex() {
    return digest.substring("sha256:".length());
  }
}
