package dev.platform.etl.baseimage.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintainerWorkTest {

  @Test
  void theTrustStoreHoldsEveryMozillaCertificateAndIsTheSameBytesEachTime() throws Exception {
    List<String> pems = someCertificatesAsPem(3);
    RootFs rootFs = withCertificates(pems);

    MaintainerWork.javaTrustStore(rootFs);
    byte[] first = rootFs.get(MaintainerWork.JAVA_TRUST_STORE).content();
    MaintainerWork.javaTrustStore(rootFs);
    byte[] second = rootFs.get(MaintainerWork.JAVA_TRUST_STORE).content();

    assertThat(Arrays.mismatch(first, second)).as("the first byte that differs").isEqualTo(-1);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(first), "changeit".toCharArray());
    assertThat(Collections.list(store.aliases()))
        .containsExactlyInAnyOrder("debian:ca-0.pem", "debian:ca-1.pem", "debian:ca-2.pem");
    assertThat(Collections.list(store.aliases())).allMatch(alias -> isTrusted(store, alias));
  }

  @Test
  void theSystemBundleIsEveryCertificateInNameOrder() {
    List<String> pems = someCertificatesAsPem(2);
    RootFs rootFs = withCertificates(pems);

    MaintainerWork.certificateBundle(rootFs);

    assertThat(new String(rootFs.get(MaintainerWork.CERTIFICATE_BUNDLE).content(), StandardCharsets.UTF_8))
        .isEqualTo(pems.get(0) + pems.get(1));
  }

  @Test
  void withoutCertificatesTheBuildSaysWhichPackageIsMissing() {
    assertThatThrownBy(() -> MaintainerWork.certificateBundle(new RootFs()))
        .hasMessageContaining("ca-certificates");
  }

  @Test
  void theImageUserHasAnAccountAPrivateHomeAndASharedTmp() {
    RootFs rootFs = new RootFs();

    MaintainerWork.accounts(rootFs, "nonroot", 65532);

    assertThat(new String(rootFs.get("etc/passwd").content(), StandardCharsets.UTF_8))
        .contains("nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
    assertThat(new String(rootFs.get("etc/group").content(), StandardCharsets.UTF_8)).contains("nonroot:x:65532:\n");
    assertThat(rootFs.get("home/nonroot")).extracting(Node::uid, Node::mode).containsExactly(65532, 0700);
    assertThat(rootFs.get("tmp").mode()).isEqualTo(01777);
  }

  @Test
  void javaOnThePathPointsIntoTheJre() {
    RootFs rootFs = new RootFs();
    rootFs.put(Node.file("usr/lib/jvm/java-17-openjdk-amd64/bin/java", 0755, new byte[] {1}));

    MaintainerWork.javaLauncher(rootFs, "usr/lib/jvm/java-17-openjdk-amd64");

    assertThat(rootFs.get("usr/bin/java").linkTarget()).isEqualTo("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
  }

  private static boolean isTrusted(KeyStore store, String alias) {
    try {
      return store.isCertificateEntry(alias);
    } catch (Exception e) {
      return false;
    }
  }

  private static RootFs withCertificates(List<String> pems) {
    RootFs rootFs = new RootFs();
    for (int i = pems.size() - 1; i >= 0; i--) {
      rootFs.put(Node.file("usr/share/ca-certificates/mozilla/CA-" + i + ".crt", 0644,
          pems.get(i).getBytes(StandardCharsets.US_ASCII)));
    }
    return rootFs;
  }

  /** Real CA certificates, from the trust store of the JDK that runs the test. */
  private static List<String> someCertificatesAsPem(int count) {
    try (InputStream in = Files.newInputStream(
        Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
      KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
      jdk.load(in, null);
      List<String> aliases = Collections.list(jdk.aliases()).stream().sorted().limit(count).toList();
      Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      return aliases.stream().map(alias -> pem(jdk, alias, base64)).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(KeyStore store, String alias, Base64.Encoder base64) {
    try {
      Certificate certificate = store.getCertificate(alias);
      return "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
