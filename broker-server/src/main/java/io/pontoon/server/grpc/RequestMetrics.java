package io.pontoon.server.grpc;

/** Where the gRPC layer reports each request's action, latency and outcome. */
public interface RequestMetrics {
    /** @param queue the queue the call was about, or null */
    void record(String action, String queue, long latencyNs, boolean ok);

    RequestMetrics NONE = (action, queue, latencyNs, ok) -> { };
}
