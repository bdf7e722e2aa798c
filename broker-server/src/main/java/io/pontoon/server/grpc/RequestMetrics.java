package io.pontoon.server.grpc;

/** Where the gRPC layer reports each request's action, latency and outcome. */
public interface RequestMetrics {
    void record(String action, long latencyNs, boolean ok);

    RequestMetrics NONE = (action, latencyNs, ok) -> { };
}
