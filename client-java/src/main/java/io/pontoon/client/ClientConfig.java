package io.pontoon.client;

import java.util.List;

/**
 * Immutable client configuration, validated on construction.
 *
 * @param bootstrap                 "host:port" client endpoints of one or more nodes (any node works)
 * @param connectTimeoutMs          TCP connect timeout per connection attempt
 * @param requestTimeoutMs          gRPC deadline of one attempt of an ordinary call; a ReceiveMessage
 *                                  attempt gets this plus its long-poll wait time
 * @param maxAttempts               attempts per call including the first (1 = no retries)
 * @param backoffBaseMs             first retry backoff; doubles each attempt, with jitter
 * @param backoffMaxMs              backoff cap
 * @param routingRefreshIntervalMs  maximum age of the cached routing table before it is refreshed
 *                                  proactively (it is also refreshed on every retryable failure)
 */
public record ClientConfig(
        List<String> bootstrap,
        long connectTimeoutMs,
        long requestTimeoutMs,
        int maxAttempts,
        long backoffBaseMs,
        long backoffMaxMs,
        long routingRefreshIntervalMs) {

    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final long DEFAULT_BACKOFF_BASE_MS = 50;
    public static final long DEFAULT_BACKOFF_MAX_MS = 2_000;
    public static final long DEFAULT_ROUTING_REFRESH_INTERVAL_MS = 30_000;

    public ClientConfig {
        if (bootstrap == null || bootstrap.isEmpty()) {
            throw new IllegalArgumentException("bootstrap: at least one host:port endpoint is required");
        }
        bootstrap = List.copyOf(bootstrap);
        for (String endpoint : bootstrap) validateEndpoint(endpoint);
        requirePositive("connectTimeoutMs", connectTimeoutMs);
        requirePositive("requestTimeoutMs", requestTimeoutMs);
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be in 1..100, got " + maxAttempts);
        }
        requirePositive("backoffBaseMs", backoffBaseMs);
        if (backoffMaxMs < backoffBaseMs) {
            throw new IllegalArgumentException("backoffMaxMs (" + backoffMaxMs + ") must be >= backoffBaseMs (" + backoffBaseMs + ")");
        }
        requirePositive("routingRefreshIntervalMs", routingRefreshIntervalMs);
    }

    /** A configuration with default values for everything but the bootstrap endpoints. */
    public static ClientConfig defaults(List<String> bootstrap) {
        return new ClientConfig(bootstrap, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS, DEFAULT_ROUTING_REFRESH_INTERVAL_MS);
    }

    /** Validates a "host:port" endpoint (host non-empty, port 1..65535; IPv6 as "[::1]:7001"). */
    public static void validateEndpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint must be host:port, got empty");
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, got '" + endpoint + "'");
        }
        String host = endpoint.substring(0, colon);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("IPv6 endpoint must be [addr]:port, got '" + endpoint + "'");
        }
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint port is not a number: '" + endpoint + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port out of range 1..65535: '" + endpoint + "'");
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
}
