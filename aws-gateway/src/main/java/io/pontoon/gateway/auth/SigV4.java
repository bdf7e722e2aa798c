package io.pontoon.gateway.auth;

import io.pontoon.gateway.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The arithmetic of AWS Signature Version 4 as AWS specifies it for every service but S3: the canonical request
 * (normalised path, each segment URI-encoded as sent; sorted, re-encoded query; trimmed, sorted, signed headers;
 * the payload's SHA-256), the string to sign and the derived signing key. Checked against AWS's test suite.
 */
public final class SigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private SigV4() {
    }

    public static String canonicalRequest(HttpExchange request, List<String> signedHeaders, String payloadSha256) {
        StringBuilder out = new StringBuilder();
        out.append(request.method()).append('\n');
        out.append(canonicalPath(request.path())).append('\n');
        out.append(canonicalQuery(request.query())).append('\n');
        for (String name : signedHeaders) {
            String value = request.header(name);
            out.append(name).append(':').append(value == null ? "" : value.strip().replaceAll("\\s+", " ")).append('\n');
        }
        out.append('\n').append(String.join(";", signedHeaders)).append('\n');
        return out.append(payloadSha256).toString();
    }

    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** The hex HMAC of {@code stringToSign} under the key derived from the secret and the scope's date, region and service. */
    public static String signature(String secret, String date, String region, String service, String stringToSign) {
        return io.pontoon.api.auth.Sig4.signature(secret, date, region, service, stringToSign);
    }

    public static String sha256Hex(byte[] bytes) {
        return io.pontoon.api.auth.Sig4.sha256Hex(bytes);
    }

    static String canonicalPath(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(uriEncode(segment));
            }
        }
        String joined = "/" + String.join("/", segments);
        return !segments.isEmpty() && path.endsWith("/") ? joined + "/" : joined;
    }

    /** Parameters decoded, then encoded the one SigV4 way, sorted by name and then value. */
    static String canonicalQuery(String query) {
        if (query.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(uriEncode(percentDecode(name)) + "=" + uriEncode(percentDecode(value)));
        }
        pairs.sort((a, b) -> {
            String an = a.substring(0, a.indexOf('=')), bn = b.substring(0, b.indexOf('='));
            return an.equals(bn) ? a.compareTo(b) : an.compareTo(bn);
        });
        return String.join("&", pairs);
    }

    /** RFC 3986 encoding of the UTF-8 bytes: unreserved characters stay, every other byte is %XX (upper case). */
    static String uriEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** %XX sequences to bytes, read as UTF-8; '+' stays '+' (SigV4 signs the query as sent, not as a form). */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int hi = i + 2 < bytes.length && bytes[i] == '%' ? Character.digit(bytes[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(bytes[i + 2], 16) : -1;
            if (lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
