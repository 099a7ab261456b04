package dev.platform.etl.testkit.kube;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates and keys of a local control plane, written as PEM files into one directory:
 * a cluster CA (API server serving cert, client certs for admin, controller-manager and scheduler),
 * a front-proxy CA with its client, and the ServiceAccount token signing key.
 */
final class Pki {
    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its key, and where both were written. */
    record Issued(X509Certificate certificate, KeyPair keys, Path certFile, Path keyFile) {
    }

    private Pki() {
    }

    static Issued authority(Path directory, String name) {
        KeyPair keys = rsa();
        X500Name subject = name(name, null);
        return write(directory, name, sign(subject, keys, subject, keys, true, List.of(), null), keys);
    }

    static Issued serving(Path directory, String name, Issued ca, List<String> dnsNames, List<String> ips) {
        KeyPair keys = rsa();
        List<GeneralName> alternatives = new ArrayList<>();
        dnsNames.forEach(dns -> alternatives.add(new GeneralName(GeneralName.dNSName, dns)));
        ips.forEach(ip -> alternatives.add(new GeneralName(GeneralName.iPAddress, ip)));
        X509Certificate certificate = sign(name(name, null), keys, issuerOf(ca), ca.keys(), false, alternatives, KeyPurposeId.id_kp_serverAuth);
        return write(directory, name, certificate, keys);
    }

    /** A client certificate: Kubernetes reads the user from CN and the groups from O. */
    static Issued client(Path directory, String file, Issued ca, String user, String group) {
        KeyPair keys = rsa();
        X509Certificate certificate = sign(name(user, group), keys, issuerOf(ca), ca.keys(), false, List.of(), KeyPurposeId.id_kp_clientAuth);
        return write(directory, file, certificate, keys);
    }

    /** The key pair that signs ServiceAccount tokens: {@code NAME.key} and {@code NAME.pub}. */
    static Path signingKey(Path directory, String name) {
        KeyPair keys = rsa();
        writePem(directory.resolve(name + ".pub"), keys.getPublic());
        Path key = directory.resolve(name + ".key");
        writePem(key, keys.getPrivate());
        return key;
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static X500Name issuerOf(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X500Name name(String commonName, String organization) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        if (organization != null) {
            builder.addRDN(BCStyle.O, organization);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys, boolean authority,
                                        List<GeneralName> alternatives, KeyPurposeId purpose) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(authority
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (!alternatives.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static Issued write(Path directory, String name, X509Certificate certificate, KeyPair keys) {
        Path cert = directory.resolve(name + ".crt");
        Path key = directory.resolve(name + ".key");
        writePem(cert, certificate);
        writePem(key, keys.getPrivate());
        return new Issued(certificate, keys, cert, key);
    }

    private static void writePem(Path file, Object object) {
        try {
            Files.writeString(file, pem(object));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }
}
