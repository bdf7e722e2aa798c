package io.pontoon.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * A development certificate authority: a CA key and certificate, and node certificates it signs, for trying TLS on a
 * laptop or in tests ({@code scripts/dev-certs}). Production clusters use their own CA; Pontoon only reads PEM files.
 *
 * <p>Node certificates serve both ends of mutual TLS (server and client authentication), name the node in the common
 * name and its hosts in subjectAltName (DNS names and IP addresses: clients check the host they dialled against it),
 * and use ECDSA P-256 keys, cheap to make and to handshake with.
 */
public final class DevCertificateAuthority {
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration NODE_VALIDITY = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair pair;
    private final X509Certificate certificate;

    private DevCertificateAuthority(KeyPair pair, X509Certificate certificate) {
        this.pair = pair;
        this.certificate = certificate;
    }

    /** A new CA with a self-signed certificate. */
    public static DevCertificateAuthority create(String name) {
        KeyPair pair = newKeyPair();
        X500Name subject = name(name);
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new DevCertificateAuthority(pair, sign(b, pair));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A node certificate and its key, valid from {@code notBefore} to {@code notAfter} (tests make expired ones). */
    public Issued issue(String commonName, List<String> hosts, Instant notBefore, Instant notAfter) {
        KeyPair nodePair = newKeyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore), Date.from(notAfter),
                name(commonName), nodePair.getPublic());
        List<GeneralName> names = new ArrayList<>();
        for (String h : hosts) {
            names.add(new GeneralName(h.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(nodePair, sign(b, pair));
    }

    /** A node certificate valid from an hour ago for {@link #NODE_VALIDITY}. */
    public Issued issue(String commonName, List<String> hosts) {
        Instant now = Instant.now();
        return issue(commonName, hosts, now.minus(Duration.ofHours(1)), now.plus(NODE_VALIDITY));
    }

    /** Writes the CA certificate as {@code ca.pem} and its key as {@code ca-key.pem} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        PemFiles.writeAtomically(dir.resolve("ca-key.pem"), PemFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        PemFiles.writeAtomically(dir.resolve("ca.pem"), PemFiles.pem(certificate), false);
    }

    /** A key pair and the certificate the CA made for it. */
    public record Issued(KeyPair pair, X509Certificate certificate) {
        /** Writes {@code <name>.pem} (the certificate) and {@code <name>-key.pem} (the key, owner-only) into {@code dir}. */
        public void write(Path dir, String name) throws IOException {
            Files.createDirectories(dir);
            PemFiles.writeAtomically(dir.resolve(name + "-key.pem"), PemFiles.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            PemFiles.writeAtomically(dir.resolve(name + ".pem"), PemFiles.pem(certificate), false);
        }
    }

    /**
     * {@code scripts/dev-certs DIR NODE[=HOST,...] ...}: a new CA in DIR and a certificate per node, each for
     * {@code localhost}, {@code 127.0.0.1} and the hosts given.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: dev-certs DIR NODE[=HOST,HOST...] ...   (each node's certificate also names localhost and 127.0.0.1)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        DevCertificateAuthority ca = create("Pontoon development CA");
        ca.write(dir);
        System.out.println("wrote " + dir.resolve("ca.pem") + " (trust this) and " + dir.resolve("ca-key.pem"));
        for (String spec : Arrays.asList(args).subList(1, args.length)) {
            String node = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : spec;
            List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1"));
            if (spec.contains("=")) {
                Arrays.stream(spec.substring(spec.indexOf('=') + 1).split(",")).filter(h -> !h.isBlank() && !hosts.contains(h)).forEach(hosts::add);
            }
            ca.issue(node, hosts).write(dir, node);
            System.out.println("wrote " + dir.resolve(node + ".pem") + " and " + dir.resolve(node + "-key.pem") + " for " + hosts);
        }
    }

    private static X500Name name(String commonName) {
        return new X500Name("CN=" + commonName.replaceAll("[,+=\"\\\\<>;#]", "_") + ",O=Pontoon");
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC keys", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("signing a certificate failed", e);
        }
    }
}
