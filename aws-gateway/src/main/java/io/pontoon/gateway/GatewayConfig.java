package io.pontoon.gateway;

import java.util.Optional;

/**
 * The HTTP gateway's settings, validated once here (docs/configuration.md, {@code gateway.*}).
 *
 * @param host                address to listen on
 * @param port                port to listen on; 0 picks a free one
 * @param advertisedUrl       base of the queue URLs handed to clients ({@code https://sqs.example.com}); empty: the
 *                            scheme, host and port the client addressed
 * @param maxRequestBytes     largest request body; a larger declared length is refused before a byte is read
 * @param requestBufferBytes  all request bodies held at once on this node; over it a request is refused with 503
 * @param maxConnections      open connections; more are closed as they arrive
 * @param idleTimeoutMs       a connection that sends nothing for this long while no request is being answered is closed,
 *                            and so is one whose request has not arrived whole this long after its headers
 * @param callTimeoutMs       deadline of the gRPC call behind a request: above the 20 s longest long poll
 * @param accessKeys          secret access keys by access key id: requests must carry an AWS Signature Version 4 by one
 *                            of them; empty: requests are not authenticated ({@code auth.mode=none})
 */
public record GatewayConfig(String host, int port, Optional<String> advertisedUrl, int maxRequestBytes, long requestBufferBytes,
                            int maxConnections, long idleTimeoutMs, long callTimeoutMs, java.util.Map<String, String> accessKeys) {
    /** PutRecords takes 5 MiB of records, 6.7 MiB in base64, plus names and framing. */
    public static final int MAX_REQUEST_BYTES_LIMIT = 8 << 20;
    public static final long LONGEST_LONG_POLL_MS = 20_000;

    public GatewayConfig {
        require(port >= 0 && port < 65536, "gateway.port", "must be a port, or 0 for any free port");
        advertisedUrl = advertisedUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        require(advertisedUrl.map(u -> u.matches("https?://[^/?#]+")).orElse(true), "gateway.advertised.url",
                "must be scheme://host[:port] without a path");
        require(maxRequestBytes >= 64 << 10 && maxRequestBytes <= MAX_REQUEST_BYTES_LIMIT, "gateway.max.request.bytes",
                "must be 64 KiB to " + MAX_REQUEST_BYTES_LIMIT + " bytes");
        require(requestBufferBytes >= maxRequestBytes, "gateway.request.buffer.bytes", "must hold at least one largest request");
        require(maxConnections >= 1, "gateway.max.connections", "must be at least 1");
        require(idleTimeoutMs >= 1_000, "gateway.idle.timeout.ms", "must be at least 1000");
        require(callTimeoutMs > LONGEST_LONG_POLL_MS, "gateway.call.timeout.ms", "must be above the 20 s longest long poll");
        accessKeys = java.util.Map.copyOf(accessKeys);
        require(accessKeys.keySet().stream().allMatch(id -> id.matches("[A-Z0-9]{16,128}")), "auth.keys.file",
                "access key ids must be 16-128 upper-case letters and digits");
        require(accessKeys.values().stream().allMatch(secret -> secret.length() >= 16), "auth.keys.file", "secret keys must have 16 characters or more");
    }


    private static void require(boolean ok, String key, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + " " + rule);
        }
    }
}
