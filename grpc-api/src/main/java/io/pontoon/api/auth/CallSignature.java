package io.pontoon.api.auth;

import io.grpc.Metadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * How a gRPC call proves which access key made it (auth.mode=sigv4): Signature Version 4's key derivation and
 * string-to-sign, applied to the call instead of an HTTP request. The client sends two metadata entries:
 *
 * <pre>
 * x-pontoon-date: 20261208T021233Z
 * authorization:  PONTOON-HMAC-SHA256 Credential=AKID/20261208/us-east-1/pontoon/aws4_request, Signature=HEX
 * </pre>
 *
 * <p>The signature is HMAC-SHA256, under SigV4's derived key (secret, date, region, service {@code pontoon}), of
 * {@code PONTOON-HMAC-SHA256\n<date>\n<scope>\n<sha256 hex of the full method name>}. A server refuses a call signed
 * more than 15 minutes from its clock, so a captured call cannot be replayed later. The signature covers the method
 * and the time, not the request body: the body's integrity, and protection against replay within the window, come
 * from TLS (tls.enabled), which authenticated clusters should use. See grpc-api/PROTOCOL.md, "Authentication".
 */
public final class CallSignature {
    public static final String ALGORITHM = "PONTOON-HMAC-SHA256";
    public static final String SERVICE = "pontoon";
    public static final long MAX_CLOCK_SKEW_MS = 15 * 60_000;
    public static final Metadata.Key<String> DATE = Metadata.Key.of("x-pontoon-date", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private CallSignature() {
    }

    /** Why a call is not authentic: an AWS error code (as SigV4 uses them) and a message that says what to fix. */
    public record Failure(String code, String message) {
    }

    /** The two metadata values a call of {@code fullMethodName} made at {@code nowMs} carries. */
    public static Map.Entry<String, String> sign(String accessKeyId, String secret, String region, String fullMethodName, long nowMs) {
        String amzDate = AMZ_DATE.format(Instant.ofEpochMilli(nowMs));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + SERVICE + "/aws4_request";
        String signature = signature(secret, amzDate, scope, fullMethodName);
        return Map.entry(amzDate, ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ", Signature=" + signature);
    }

    /**
     * @param secretsByAccessKey the secret of each known access key id
     * @return null when {@code headers} carry a signature of {@code fullMethodName} by a known key within the window
     */
    public static Failure verify(Metadata headers, String fullMethodName, Map<String, String> secretsByAccessKey, long nowMs) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization == null) {
            return new Failure("MissingAuthenticationToken", "Request is missing Authentication Token: this cluster requires calls "
                    + "signed with an access key (PontoonClient.builder().credentials(id, secret), or PONTOON_ACCESS_KEY_ID and "
                    + "PONTOON_SECRET_ACCESS_KEY for the CLI)");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return new Failure("IncompleteSignature", "The authorization metadata must use " + ALGORITHM + ".");
        }
        Map<String, String> parts = Sig4.parameters(authorization.substring(ALGORITHM.length() + 1));
        String credential = parts.get("Credential");
        String signature = parts.get("Signature");
        String[] scope = credential == null ? new String[0] : credential.split("/", -1);
        if (signature == null || scope.length != 5 || !scope[3].equals(SERVICE) || !scope[4].equals("aws4_request")) {
            return new Failure("IncompleteSignature", "Authorization must be '" + ALGORITHM
                    + " Credential=ACCESS_KEY_ID/YYYYMMDD/REGION/pontoon/aws4_request, Signature=HEX'.");
        }
        String secret = secretsByAccessKey.get(scope[0]);
        if (secret == null) {
            return new Failure("InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        String amzDate = headers.get(DATE);
        Instant signedAt = parse(amzDate);
        if (signedAt == null) {
            return new Failure("IncompleteSignature", "A signed call needs x-pontoon-date (yyyyMMdd'T'HHmmss'Z').");
        }
        if (Math.abs(signedAt.toEpochMilli() - nowMs) > MAX_CLOCK_SKEW_MS) {
            return new Failure("RequestExpired", "Request has expired: signed at " + signedAt + ", the server's time is "
                    + Instant.ofEpochMilli(nowMs) + ", and the difference may be at most 15 minutes.");
        }
        if (!amzDate.startsWith(scope[1])) {
            return new Failure("SignatureDoesNotMatch", "Credential should be scoped to the call's date " + amzDate.substring(0, 8) + ".");
        }
        String expected = signature(secret, amzDate, String.join("/", scope[1], scope[2], scope[3], scope[4]), fullMethodName);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            return new Failure("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. "
                    + "Check your Secret Access Key.");
        }
        return null;
    }

    /** The access key id a call names, or null: who made it, once {@link #verify} accepted it. */
    public static String accessKeyId(Metadata headers) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization == null || !authorization.startsWith(ALGORITHM + " ")) {
            return null;
        }
        String credential = Sig4.parameters(authorization.substring(ALGORITHM.length() + 1)).get("Credential");
        return credential == null ? null : credential.split("/", 2)[0];
    }

    static String signature(String secret, String amzDate, String scope, String fullMethodName) {
        String[] s = scope.split("/");
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + Sig4.sha256Hex(fullMethodName.getBytes(StandardCharsets.UTF_8));
        return Sig4.signature(secret, s[0], s[1], s[2], stringToSign);
    }

    private static Instant parse(String amzDate) {
        if (amzDate == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
