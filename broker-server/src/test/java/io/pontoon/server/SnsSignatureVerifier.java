package io.pontoon.server;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A subscriber's check of an SNS envelope, written from AWS's "Verifying the signatures of Amazon SNS messages" and
 * nothing of Pontoon's: build the string to sign from the envelope's fields (each as {@code Name\nvalue\n}, in AWS's
 * order for its Type), decode the base64 Signature, and verify it with the public key of the certificate at
 * SigningCertURL, by SHA1withRSA for SignatureVersion 1 and SHA256withRSA for 2. Uses only the JDK.
 */
public final class SnsSignatureVerifier {
    private static final List<String> NOTIFICATION = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> CONFIRMATION = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    private SnsSignatureVerifier() {
    }

    /** True when the envelope's Signature is valid for its fields under {@code certificate}'s key. */
    public static boolean verify(Map<?, ?> envelope, X509Certificate certificate) throws Exception {
        String algorithm = switch (String.valueOf(envelope.get("SignatureVersion"))) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new AssertionError("unknown SignatureVersion " + envelope.get("SignatureVersion"));
        };
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(certificate.getPublicKey());
        s.update(stringToSign(envelope).getBytes(StandardCharsets.UTF_8));
        return s.verify(Base64.getDecoder().decode((String) envelope.get("Signature")));
    }

    /** The string AWS signs: for a Notification, Subject only when present; every other field is required. */
    public static String stringToSign(Map<?, ?> envelope) {
        String type = (String) envelope.get("Type");
        List<String> fields = switch (type) {
            case "Notification" -> NOTIFICATION;
            case "SubscriptionConfirmation", "UnsubscribeConfirmation" -> CONFIRMATION;
            default -> throw new AssertionError("unknown Type " + type);
        };
        StringBuilder b = new StringBuilder();
        for (String name : fields) {
            Object value = envelope.get(name);
            if (value == null && name.equals("Subject")) {
                continue;
            }
            if (value == null) {
                throw new AssertionError(type + " lacks " + name);
            }
            b.append(name).append('\n').append(value).append('\n');
        }
        return b.toString();
    }

    public static X509Certificate certificate(byte[] pemOrDer) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pemOrDer));
    }

    /** Fetches the certificate at the envelope's SigningCertURL, as a subscriber does (a 200 answer, then X.509). */
    public static X509Certificate fetchCertificate(String url) throws Exception {
        HttpResponse<byte[]> r;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode());
        }
        return certificate(r.body());
    }
}
