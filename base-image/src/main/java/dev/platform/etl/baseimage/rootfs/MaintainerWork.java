package dev.platform.etl.baseimage.rootfs;

import dev.platform.etl.baseimage.debian.Deb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * What the packages' maintainer scripts would have done, had they run: no script runs in this
 * build, so each step a Java program in this image needs is done here, from the unpacked files.
 */
public final class MaintainerWork {
  private static final String MOZILLA_CERTIFICATES = "usr/share/ca-certificates/mozilla";
  static final String CERTIFICATE_BUNDLE = "etc/ssl/certs/ca-certificates.crt";
  static final String JAVA_TRUST_STORE = "etc/ssl/certs/java/cacerts";
  // PKCS12 with neither a MAC nor an encrypted certificate bag: no salt, so the same certificates
  // give the same bytes. A trust store holds only public certificates; keytool reads it the same.
  private static final String PKCS12_NO_PROTECTION = "NONE";

  private MaintainerWork() {}

  /** update-ca-certificates: every Mozilla certificate, concatenated into the system bundle. */
  public static void certificateBundle(RootFs rootFs) {
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    for (Node certificate : certificates(rootFs)) {
      bundle.writeBytes(certificate.content());
    }
    rootFs.put(Node.file(CERTIFICATE_BUNDLE, 0644, bundle.toByteArray()));
  }

  /** ca-certificates-java: the same certificates as the JRE's PKCS12 trust store. */
  public static void javaTrustStore(RootFs rootFs) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Node certificate : certificates(rootFs)) {
        String name = certificate.path().substring(certificate.path().lastIndexOf('/') + 1);
        String alias = "debian:" + name.replace(".crt", ".pem").toLowerCase(Locale.ROOT);
        store.setCertificateEntry(alias,
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate.content())));
      }
      rootFs.put(Node.file(JAVA_TRUST_STORE, 0644, storeUnprotected(store)));
    } catch (GeneralSecurityException e) {
      throw new IOException("the Java trust store could not be written: " + e.getMessage(), e);
    }
  }

  private static byte[] storeUnprotected(KeyStore store) throws IOException, GeneralSecurityException {
    String certProtection = System.getProperty("keystore.pkcs12.certProtectionAlgorithm");
    String mac = System.getProperty("keystore.pkcs12.macAlgorithm");
    System.setProperty("keystore.pkcs12.certProtectionAlgorithm", PKCS12_NO_PROTECTION);
    System.setProperty("keystore.pkcs12.macAlgorithm", PKCS12_NO_PROTECTION);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, "changeit".toCharArray());
      return out.toByteArray();
    } finally {
      restore("keystore.pkcs12.certProtectionAlgorithm", certProtection);
      restore("keystore.pkcs12.macAlgorithm", mac);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static List<Node> certificates(RootFs rootFs) {
    List<Node> certificates = rootFs.under(MOZILLA_CERTIFICATES).stream()
        .filter(n -> n.kind() == Node.Kind.FILE && n.path().endsWith(".crt"))
        .toList();
    if (certificates.isEmpty()) {
      throw new IllegalStateException("no certificates under /" + MOZILLA_CERTIFICATES + ": is ca-certificates in the image?");
    }
    return certificates;
  }

  /** update-alternatives: {@code /usr/bin/java}. */
  public static void javaLauncher(RootFs rootFs, String javaHome) {
    if (rootFs.get(javaHome + "/bin/java") == null) {
      throw new IllegalStateException("no /" + javaHome + "/bin/java: is the JRE in the image?");
    }
    rootFs.put(Node.symlink("usr/bin/java", "/" + javaHome + "/bin/java"));
  }

  /** The accounts (root, nobody and the image's user), name lookup, a home and a shared /tmp. */
  public static void accounts(RootFs rootFs, String user, int uid) {
    rootFs.put(Node.file("etc/passwd", 0644, text(
        "root:x:0:0:root:/root:/sbin/nologin\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
            + user + ":x:" + uid + ":" + uid + ":" + user + ":/home/" + user + ":/sbin/nologin\n")));
    rootFs.put(Node.file("etc/group", 0644, text(
        "root:x:0:\nnogroup:x:65534:\n" + user + ":x:" + uid + ":\n")));
    rootFs.put(Node.file("etc/nsswitch.conf", 0644, text(
        "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n"
            + "protocols: files\nservices: files\nethers: files\nrpc: files\n")));
    rootFs.put(Node.file("etc/hosts", 0644, text("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")));
    rootFs.put(Node.directory("root", 0700, 0, 0));
    rootFs.put(Node.directory("home/" + user, 0700, uid, uid));
    // 1777 on the directory itself: a runtime that mounts a tmpfs here keeps the mount point's mode
    rootFs.put(Node.directory("tmp", 01777, 0, 0));
  }

  /** dpkg's database, as distroless writes it: one control paragraph a package, for scanners. */
  public static void packageDatabase(RootFs rootFs, List<Deb> debs) {
    for (Deb deb : debs) {
      rootFs.put(Node.file("var/lib/dpkg/status.d/" + deb.name(), 0644,
          text(deb.control().replaceFirst("(?m)^(Version: )", "Status: install ok installed\n$1"))));
    }
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
