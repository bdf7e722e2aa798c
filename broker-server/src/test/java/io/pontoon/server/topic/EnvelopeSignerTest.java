package io.pontoon.server.topic;

import io.pontoon.core.codec.Json;
import io.pontoon.core.topic.MessageAttribute;
import io.pontoon.core.topic.PublishedMessage;
import io.pontoon.server.SnsSignatureVerifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Envelopes signed by {@link EnvelopeSigner} verify with {@link SnsSignatureVerifier}, a subscriber's check written from
 * AWS's documentation with the JDK alone, for both signature versions and both kinds of envelope; any changed field
 * fails; and a node's key and certificate are made once and kept, or taken from the operator's files.
 */
class EnvelopeSignerTest {
    private static final String URL = "http://127.0.0.1:7201/sns/signing-cert.pem";
    private static final EnvelopeSigner SIGNER = EnvelopeSigner.generate("pontoon-sns-test", URL);
    private static final EnvelopeLinks LINKS = new EnvelopeLinks(() -> "http://127.0.0.1:7301", io.pontoon.api.AwsIdentity.CANONICAL);

    private static PublishedMessage message(String subject, String text) {
        TreeMap<String, MessageAttribute> attrs = new TreeMap<>();
        attrs.put("color", new MessageAttribute("String", "red", null));
        return new PublishedMessage(7, "6e3a1f2b-0000-4000-8000-000000000007", "orders", 1_700_000_000_123L, text, subject, false, attrs, null, null);
    }

    /** The certificate as a subscriber gets it: the PEM text the node serves, parsed by the JDK. */
    private static X509Certificate served(EnvelopeSigner signer) throws Exception {
        return SnsSignatureVerifier.certificate(signer.certificatePem().getBytes(StandardCharsets.US_ASCII));
    }

    private static Map<String, Object> parse(String json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(json);
        return m;
    }

    @Test
    void notificationsVerifyWithBothSignatureVersionsAndATamperedFieldDoesNot() throws Exception {
        X509Certificate cert = served(SIGNER);
        for (String version : List.of("1", "2")) {
            for (String subject : new String[]{"Order placed", null}) {
                String text = "{\"order\": 42, \"note\": \"line one\\nline two, ünïcödé ✓\"}";
                Map<String, Object> e = parse(Envelopes.notification(message(subject, text), "sqs", "arn:aws:sns:pontoon:000000000000:orders:sub-1",
                        SIGNER, version, LINKS));
                List<String> order = new ArrayList<>(List.of("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                        "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"));
                if (subject == null) {
                    order.remove("Subject");
                }
                assertEquals(order, List.copyOf(e.keySet()), "fields in AWS's order");
                assertEquals(version, e.get("SignatureVersion"));
                assertEquals(URL, e.get("SigningCertURL"));
                assertEquals(text, e.get("Message"));
                assertTrue(SnsSignatureVerifier.verify(e, cert), "version " + version + ", subject " + subject);

                for (String field : subject == null ? List.of("Message", "MessageId", "Timestamp", "TopicArn")
                        : List.of("Message", "Subject", "MessageId", "Timestamp", "TopicArn")) {
                    Map<String, Object> tampered = new LinkedHashMap<>(e);
                    tampered.put(field, e.get(field) + "x");
                    assertFalse(SnsSignatureVerifier.verify(tampered, cert), "a changed " + field + " fails (version " + version + ")");
                }
                Map<String, Object> unsigned = new LinkedHashMap<>(e);
                unsigned.put("UnsubscribeURL", "elsewhere");
                assertTrue(SnsSignatureVerifier.verify(unsigned, cert), "UnsubscribeURL is not signed, as in AWS");
                Map<String, Object> otherVersion = new LinkedHashMap<>(e);
                otherVersion.put("SignatureVersion", version.equals("1") ? "2" : "1");
                assertFalse(SnsSignatureVerifier.verify(otherVersion, cert), "a signature checks only under its own version");
            }
        }
    }

    @Test
    void subscriptionConfirmationsVerifyWithBothSignatureVersions() throws Exception {
        X509Certificate cert = served(SIGNER);
        for (String version : List.of("1", "2")) {
            Map<String, Object> e = parse(Envelopes.confirmation("orders", "tok-123", "b1946ac9-0000-4000-8000-000000000001", 1_700_000_000_000L,
                    SIGNER, version, LINKS));
            assertEquals(List.of("Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL", "Timestamp", "SignatureVersion", "Signature",
                    "SigningCertURL"), List.copyOf(e.keySet()));
            assertEquals(version, e.get("SignatureVersion"));
            assertTrue(SnsSignatureVerifier.verify(e, cert));
            for (String field : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type")) {
                Map<String, Object> tampered = new LinkedHashMap<>(e);
                tampered.put(field, field.equals("Type") ? "UnsubscribeConfirmation" : e.get(field) + "x");
                assertFalse(SnsSignatureVerifier.verify(tampered, cert), "a changed " + field + " fails");
            }
        }
    }

    @Test
    void theStringToSignIsTheOneAwsDocuments() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Type", "Notification");
        e.put("MessageId", "id");
        e.put("TopicArn", "arn");
        e.put("Message", "hello");
        e.put("Timestamp", "2024-01-01T00:00:00.000Z");
        String expected = "Message\nhello\nMessageId\nid\nTimestamp\n2024-01-01T00:00:00.000Z\nTopicArn\narn\nType\nNotification\n";
        assertEquals(expected, EnvelopeSigner.stringToSign(e));
        assertEquals(expected, SnsSignatureVerifier.stringToSign(e));
    }

    /** A FIFO topic's notification carries the SequenceNumber its Publish answered; the signature still verifies. */
    @Test
    void aFifoNotificationCarriesItsSequenceNumberAndAStandardOneDoesNot() throws Exception {
        PublishedMessage fifo = new PublishedMessage(42, "6e3a1f2b-0000-4000-8000-000000000042", "orders.fifo", 1_700_000_000_123L, "m", null,
                false, new TreeMap<>(), "group-1", "dedup-1");
        Map<String, Object> e = parse(Envelopes.notification(fifo, "sqs", "arn:sub", SIGNER, "1", LINKS));
        assertEquals("00000000000000000042", e.get("SequenceNumber"));
        assertTrue(SnsSignatureVerifier.verify(e, served(SIGNER)));
        assertFalse(parse(Envelopes.notification(message(null, "m"), "sqs", "arn:sub", SIGNER, "1", LINKS)).containsKey("SequenceNumber"));
    }

    @Test
    void aResendRendersTheSameBytesAndAnotherNodesKeyDoesNotVerify() throws Exception {
        PublishedMessage m = message("s", "body");
        String once = Envelopes.notification(m, "sqs", "arn:sub", SIGNER, "2", LINKS);
        assertEquals(once, Envelopes.notification(m, "sqs", "arn:sub", SIGNER, "2", LINKS));
        EnvelopeSigner other = EnvelopeSigner.generate("pontoon-sns-other", URL);
        assertFalse(SnsSignatureVerifier.verify(parse(once), served(other)), "each node signs with its own key");
        assertTrue(SnsSignatureVerifier.verify(parse(Envelopes.notification(m, "sqs", "arn:sub", other, "2", LINKS)), served(other)));
    }

    @Test
    void aNodeMakesItsKeyAndCertificateOnceAndKeepsThem(@TempDir Path dataDir) throws Exception {
        EnvelopeSigner first = EnvelopeSigner.open(dataDir, Optional.empty(), Optional.empty(), "pontoon-sns-n1", URL);
        Path key = dataDir.resolve("sns-signing/key.pem"), cert = dataDir.resolve("sns-signing/cert.pem");
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(first.certificatePem(), Files.readString(cert));
        X509Certificate c = served(first);
        assertTrue(c.getSubjectX500Principal().getName().contains("CN=pontoon-sns-n1"), c.getSubjectX500Principal().getName());
        assertEquals(2048, ((java.security.interfaces.RSAKey) c.getPublicKey()).getModulus().bitLength());
        c.checkValidity();
        c.verify(c.getPublicKey());
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }

        EnvelopeSigner restarted = EnvelopeSigner.open(dataDir, Optional.empty(), Optional.empty(), "pontoon-sns-n1", URL);
        assertEquals(first.certificatePem(), restarted.certificatePem(), "the same certificate after a restart");
        Map<String, Object> e = parse(Envelopes.notification(message(null, "m"), "sqs", "arn:sub", restarted, "1", LINKS));
        assertTrue(SnsSignatureVerifier.verify(e, c), "and the same key");

        Files.delete(cert); // a crash between the two writes: a new pair
        EnvelopeSigner remade = EnvelopeSigner.open(dataDir, Optional.empty(), Optional.empty(), "pontoon-sns-n1", URL);
        assertNotEquals(first.certificatePem(), remade.certificatePem());
    }

    @Test
    void anOperatorsKeyAndCertificateAreUsedInPkcs8OrPkcs1(@TempDir Path dir) throws Exception {
        EnvelopeSigner made = EnvelopeSigner.open(dir.resolve("made"), Optional.empty(), Optional.empty(), "operator", URL);
        Path pkcs8 = dir.resolve("made/sns-signing/key.pem"), cert = dir.resolve("made/sns-signing/cert.pem");
        byte[] pkcs8Der = java.util.Base64.getMimeDecoder().decode(Files.readString(pkcs8).replaceAll("-----[A-Z ]+-----", ""));
        Path pkcs1 = dir.resolve("rsa.pem");
        Files.writeString(pkcs1, EnvelopeSigner.pem("RSA PRIVATE KEY", PrivateKeyInfo.getInstance(pkcs8Der).parsePrivateKey().toASN1Primitive().getEncoded()));
        for (Path key : List.of(pkcs8, pkcs1)) {
            EnvelopeSigner s = EnvelopeSigner.open(dir.resolve("unused"), Optional.of(key), Optional.of(cert), "ignored", URL);
            assertEquals(made.certificatePem(), s.certificatePem());
            assertTrue(SnsSignatureVerifier.verify(parse(Envelopes.notification(message("s", "m"), "sqs", "arn:sub", s, "2", LINKS)), served(made)), key.toString());
        }
        assertFalse(Files.exists(dir.resolve("unused/sns-signing")), "configured files: the node makes none");

        EnvelopeSigner.open(dir.resolve("other"), Optional.empty(), Optional.empty(), "other", URL);
        IOException mismatch = assertThrows(IOException.class, () -> EnvelopeSigner.open(dir, Optional.of(pkcs8),
                Optional.of(dir.resolve("other/sns-signing/cert.pem")), "x", URL));
        assertTrue(mismatch.getMessage().contains("not the RSA key of the certificate"), mismatch.getMessage());
        IOException notAKey = assertThrows(IOException.class, () -> EnvelopeSigner.open(dir, Optional.of(cert), Optional.of(cert), "x", URL));
        assertTrue(notAKey.getMessage().contains(cert.toString()), notAKey.getMessage());
    }

    @Test
    void theCertificateUrlNamesTheMetricsPort() {
        assertEquals("http://10.0.0.11:7201/sns/signing-cert.pem", EnvelopeSigner.certUrl("10.0.0.11", 7201));
        assertEquals("http://10.0.0.11/sns/signing-cert.pem", EnvelopeSigner.certUrl("10.0.0.11", 0));
        assertEquals(io.pontoon.server.metrics.MetricsHttpServer.SNS_SIGNING_CERT_PATH, EnvelopeSigner.CERT_PATH, "the URL names where it is served");
        assertEquals("1", Envelopes.signatureVersion(Map.of()));
        assertEquals("2", Envelopes.signatureVersion(Map.of("SignatureVersion", "2")));
    }
}
