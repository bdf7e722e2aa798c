package io.pontoon.gateway.auth;

import io.pontoon.gateway.HttpExchange;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Verifies a request's AWS Signature Version 4 (the {@code Authorization} header form) against the node's access
 * keys, answering with the errors AWS gives: MissingAuthenticationToken, IncompleteSignature, InvalidClientTokenId,
 * RequestExpired (more than 15 minutes from the node's clock) and SignatureDoesNotMatch. The payload hash is always
 * computed from the body received, never taken from the client.
 */
public final class SigV4Verifier {
    /** AWS's window: a request signed more than this far from the server's clock is refused. */
    public static final long MAX_CLOCK_SKEW_MS = 15 * 60_000;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** Why a request is not authentic: HTTP status, AWS error code and a message that says what to fix. */
    public record Failure(int httpStatus, String code, String message) {
    }

    private final Map<String, String> secretsByAccessKey;

    public SigV4Verifier(Map<String, String> secretsByAccessKey) {
        this.secretsByAccessKey = Map.copyOf(secretsByAccessKey);
    }

    /** @return null when the request is signed by a known key within the clock window, else why not */
    public Failure verify(HttpExchange request, long nowMs) {
        String authorization = request.header("authorization");
        if (authorization == null) {
            return new Failure(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        if (!authorization.startsWith(SigV4.ALGORITHM + " ")) {
            return incomplete("Authorization header must use " + SigV4.ALGORITHM + ".");
        }
        Map<String, String> parts = io.pontoon.api.auth.Sig4.parameters(authorization.substring(SigV4.ALGORITHM.length() + 1));
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            return incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return incomplete("Credential must be ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request, not '" + credential + "'.");
        }
        List<String> headers = Arrays.asList(signedHeaders.split(";"));
        if (!headers.contains("host")) {
            return incomplete("'Host' must be a signed header.");
        }
        String secret = secretsByAccessKey.get(scope[0]);
        if (secret == null) {
            return new Failure(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        Instant signedAt = signedAt(request);
        if (signedAt == null) {
            return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (Math.abs(signedAt.toEpochMilli() - nowMs) > MAX_CLOCK_SKEW_MS) {
            return new Failure(400, "RequestExpired", "Request has expired: signed at " + signedAt + ", the server's time is "
                    + Instant.ofEpochMilli(nowMs) + ", and the difference may be at most 15 minutes.");
        }
        String amzDate = AMZ_DATE.format(signedAt.atZone(ZoneOffset.UTC));
        if (!amzDate.startsWith(scope[1])) {
            return new Failure(403, "SignatureDoesNotMatch", "Credential should be scoped to the request's date " + amzDate.substring(0, 8)
                    + ", not " + scope[1] + ".");
        }
        String canonical = SigV4.canonicalRequest(request, headers, SigV4.sha256Hex(request.body()));
        String expected = SigV4.signature(secret, scope[1], scope[2], scope[3],
                SigV4.stringToSign(amzDate, String.join("/", scope[1], scope[2], scope[3], scope[4]), canonical));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            return new Failure(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method.");
        }
        return null;
    }

    private static Failure incomplete(String message) {
        return new Failure(400, "IncompleteSignature", message);
    }

    private static Instant signedAt(HttpExchange request) {
        try {
            String amz = request.header("x-amz-date");
            if (amz != null) {
                return LocalDateTime.parse(amz, AMZ_DATE).toInstant(ZoneOffset.UTC);
            }
            String date = request.header("date");
            return date == null ? null : ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
