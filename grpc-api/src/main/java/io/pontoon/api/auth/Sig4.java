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
        return HEX.formatHex(hmac(signingKey(secret, date, region, service), stringToSign));
    }

    /**
     * The derived signing key, kept: it changes once a day per key and scope, and every signed call (client and server)
     * would otherwise spend four HMACs deriving it again. Bounded by count; a scope longer than any real one is not kept.
     */
    private static byte[] signingKey(String secret, String date, String region, String service) {
        String id = secret + '\n' + date + '\n' + region + '\n' + service;
        byte[] key = SIGNING_KEYS.get(id);
        if (key == null) {
            key = hmac(hmac(hmac(hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date), region), service), "aws4_request");
            if (id.length() <= MAX_CACHED_ID_CHARS) {
                if (SIGNING_KEYS.size() >= MAX_CACHED_KEYS) {
                    SIGNING_KEYS.clear();
                }
                SIGNING_KEYS.put(id, key);
            }
        }
        return key;
    }

    private static final int MAX_CACHED_KEYS = 256;
    private static final int MAX_CACHED_ID_CHARS = 512;
    private static final java.util.concurrent.ConcurrentHashMap<String, byte[]> SIGNING_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

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
