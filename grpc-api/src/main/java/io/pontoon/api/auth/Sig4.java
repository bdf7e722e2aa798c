package io.pontoon.api.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The pieces of AWS Signature Version 4 that every Pontoon signature shares: the HMAC-SHA256 chain that derives a
 * signing key from a secret and a scope, hex SHA-256, and the {@code Name=value, ...} parameters of an Authorization
 * value. The gateway's SigV4 verifier and the gRPC call signature ({@link CallSignature}) both build on it.
 */
public final class Sig4 {
    private static final HexFormat HEX = HexFormat.of();

    private Sig4() {
    }

    /** The hex HMAC of {@code stringToSign} under the key derived from {@code secret} and the scope's date, region and service. */
    public static String signature(String secret, String date, String region, String service, String stringToSign) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return HEX.formatHex(hmac(key, stringToSign));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code Credential=..., SignedHeaders=..., Signature=...} by name. */
    public static Map<String, String> parameters(String s) {
        Map<String, String> out = new HashMap<>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
