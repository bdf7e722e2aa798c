package io.pontoon.server.topic;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import io.pontoon.server.tls.PemFiles;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs SNS envelopes as AWS SNS does, so that a subscriber can check them with the usual SNS message validation
 * ("Verifying the signatures of Amazon SNS messages"): the string to sign is the envelope's signed fields, each as
 * {@code Name\nvalue\n}, in the order AWS gives for its Type; SignatureVersion 1 signs it with SHA1withRSA, 2 with
 * SHA256withRSA; the envelope carries the base64 signature and the URL of the certificate whose key made it.
 *
 * <p>Each node has its own RSA 2048 key and self-signed X.509 certificate, made on the first start in
 * {@code <data.dir>/sns-signing/} ({@code key.pem}, {@code cert.pem}) and reused after restarts, unless the operator
 * names files of their own ({@code sns.signing.key.file}, {@code sns.signing.cert.file}). A delivery is signed by the
 * node that makes it (the leader of the topic's partition), which names its own certificate in SigningCertURL.
 * See SIGNING.md beside this class.
 *
 * <p>Signing is deterministic (RSA PKCS#1 v1.5), so a resend renders the same bytes. A message fanned out to several
 * subscriptions has one string to sign (UnsubscribeURL is not signed), so recent signatures are kept in a small
 * bounded cache keyed by the digest of what was signed, and the RSA operation runs once per message and version.
 */
public final class EnvelopeSigner {
    /** The path at which a node's metrics HTTP server serves its certificate (PEM). */
    public static final String CERT_PATH = "/sns/signing-cert.pem";
    /** The folder of {@code data.dir} that holds a node's own key and certificate. */
    public static final String DIR = "sns-signing";
    static final String KEY_FILE = "key.pem";
    static final String CERT_FILE = "cert.pem";
    static final int KEY_BITS = 2048;
    static final Duration VALIDITY = Duration.ofDays(3650);
    private static final int CACHED_SIGNATURES = 1024;

    /** The signed fields of each envelope type, in the order AWS signs them; {@code Subject} only when present. */
    private static final Map<String, List<String>> SIGNED = Map.of(
            "Notification", List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
            "SubscriptionConfirmation", List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
            "UnsubscribeConfirmation", List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"));

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String certificatePem;
    private final String certUrl;
    private final Map<String, String> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHED_SIGNATURES;
        }
    };

    EnvelopeSigner(PrivateKey key, X509Certificate certificate, String certUrl) {
        requireMatch(key, certificate);
        this.key = key;
        this.certificate = certificate;
        this.certificatePem = pem("CERTIFICATE", encoded(certificate));
        this.certUrl = certUrl;
    }

    /**
     * The signer of a node: from the operator's files when both are given, else from {@code <dataDir>/sns-signing/},
     * where a new key and certificate are made when none are there yet.
     *
     * @param subject the certificate's common name when one is made (the node's id goes into it)
     */
    public static EnvelopeSigner open(Path dataDir, Optional<Path> keyFile, Optional<Path> certFile, String subject, String certUrl)
            throws IOException {
        if (keyFile.isPresent() != certFile.isPresent()) {
            throw new IllegalArgumentException("sns.signing.key.file and sns.signing.cert.file must be given together");
        }
        if (keyFile.isPresent()) {
            try {
                return new EnvelopeSigner(readKey(keyFile.get()), readCertificate(certFile.get()), certUrl);
            } catch (IllegalArgumentException e) {
                throw new IOException("sns.signing.key.file " + keyFile.get() + ", sns.signing.cert.file " + certFile.get() + ": " + e.getMessage(), e);
            }
        }
        Path dir = dataDir.resolve(DIR);
        Path k = dir.resolve(KEY_FILE), c = dir.resolve(CERT_FILE);
        if (!Files.exists(k) || !Files.exists(c)) {
            // both are written before either is used, key first: a crash in between leaves no usable pair, so make it anew
            Files.createDirectories(dir);
            KeyPair pair = newKeyPair();
            X509Certificate cert = selfSigned(pair, subject);
            write(k, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            write(c, pem("CERTIFICATE", encoded(cert)), false);
        }
        try {
            return new EnvelopeSigner(readKey(k), readCertificate(c), certUrl);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage() + " (remove the folder to have the node make a new key and certificate)", e);
        }
    }

    /** A signer with a key and certificate made in memory (tests). */
    static EnvelopeSigner generate(String subject, String certUrl) {
        KeyPair pair = newKeyPair();
        return new EnvelopeSigner(pair.getPrivate(), selfSigned(pair, subject), certUrl);
    }

    /**
     * Where a node's certificate is served: its metrics HTTP server on its {@code peers} host. With metrics off
     * ({@code metricsPort} 0) the URL names the host's port 80, where an operator may serve the node's cert.pem.
     */
    public static String certUrl(String host, int metricsPort) {
        return "http://" + host + (metricsPort > 0 ? ":" + metricsPort : "") + CERT_PATH;
    }

    public String certUrl() {
        return certUrl;
    }

    /** The certificate in PEM, as served at {@link #certUrl()}. */
    public String certificatePem() {
        return certificatePem;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /**
     * Appends SignatureVersion, Signature and SigningCertURL to {@code envelope}, which must hold its type's signed
     * fields already (and the fields AWS writes before them); the caller appends the fields that follow.
     *
     * @param version "1" (SHA1withRSA) or "2" (SHA256withRSA): the topic's SignatureVersion attribute
     */
    void sign(Map<String, Object> envelope, String version) {
        String text = stringToSign(envelope);
        envelope.put("SignatureVersion", version);
        envelope.put("Signature", signature(version, text));
        envelope.put("SigningCertURL", certUrl);
    }

    /** The string AWS signs for an envelope: each signed field of its Type as {@code Name\nvalue\n}. */
    static String stringToSign(Map<String, ?> envelope) {
        Object type = envelope.get("Type");
        List<String> fields = SIGNED.get(String.valueOf(type));
        if (fields == null) {
            throw new IllegalArgumentException("no signing rule for envelope type " + type);
        }
        StringBuilder s = new StringBuilder();
        for (String f : fields) {
            Object v = envelope.get(f);
            if (v == null) {
                if (f.equals("Subject")) {
                    continue;
                }
                throw new IllegalArgumentException(type + " envelope lacks " + f);
            }
            s.append(f).append('\n').append(v).append('\n');
        }
        return s.toString();
    }

    /** The base64 signature of {@code text}; the same text and version always give the same signature. */
    String signature(String version, String text) {
        String algorithm = switch (version) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("SignatureVersion must be 1 or 2, not " + version);
        };
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String cacheKey;
        try {
            cacheKey = version + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256", e);
        }
        synchronized (recent) {
            String cached = recent.get(cacheKey);
            if (cached != null) {
                return cached;
            }
        }
        String signature;
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(bytes);
            signature = Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + algorithm + " failed", e);
        }
        synchronized (recent) {
            recent.put(cacheKey, signature);
        }
        return signature;
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(KEY_BITS, new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA keys", e);
        }
    }

    /** A self-signed certificate for the pair: not a CA, for digital signatures, valid from a day ago for {@link #VALIDITY}. */
    static X509Certificate selfSigned(KeyPair pair, String subject) {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + subject.replaceAll("[,+=\"\\\\<>;#]", "_") + ",O=Pontoon");
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        } catch (IOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("making the SNS signing certificate failed", e);
        }
    }

    /** An RSA private key from PEM: PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}), unencrypted. */
    static PrivateKey readKey(Path file) throws IOException {
        PrivateKey key = PemFiles.readPrivateKey(file);
        if (!(key instanceof RSAKey)) {
            throw new IOException(file + ": SNS signatures need an RSA key, not " + key.getAlgorithm());
        }
        return key;
    }

    /** The first X.509 certificate of a PEM (or DER) file. */
    static X509Certificate readCertificate(Path file) throws IOException {
        return PemFiles.readCertificates(file).get(0);
    }

    private static void requireMatch(PrivateKey key, X509Certificate certificate) {
        if (!(key instanceof RSAKey k) || !(certificate.getPublicKey() instanceof RSAKey c) || !k.getModulus().equals(c.getModulus())) {
            throw new IllegalArgumentException("the SNS signing key is not the RSA key of the certificate " + certificate.getSubjectX500Principal());
        }
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return PemFiles.pem(type, der);
    }

    private static void write(Path file, String text, boolean secret) throws IOException {
        PemFiles.writeAtomically(file, text, secret);
    }
}
