package io.pontoon.server.metrics;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (Prometheus text format), {@code GET /health} (the process is up),
 * {@code GET /ready} (200 once this node knows a leader for every group, 503 otherwise: for load balancers
 * and scripts that must not send requests that would only wait for an election) and, when given, the certificate
 * this node signs SNS envelopes with ({@link #SNS_SIGNING_CERT_PATH}, PEM: the SigningCertURL of its envelopes).
 */
public final class MetricsHttpServer implements AutoCloseable {
    /** Where the SNS signing certificate is served (the same path as io.pontoon.server.topic.EnvelopeSigner.CERT_PATH). */
    public static final String SNS_SIGNING_CERT_PATH = "/sns/signing-cert.pem";
    private final HttpServer server;

    /** @param snsSigningCertPem the node's SNS signing certificate (PEM) to serve, or null for none */
    public MetricsHttpServer(String host, int port, BrokerMetrics metrics, java.util.function.BooleanSupplier ready, String snsSigningCertPem)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        if (snsSigningCertPem != null) {
            byte[] cert = snsSigningCertPem.getBytes(StandardCharsets.US_ASCII);
            server.createContext(SNS_SIGNING_CERT_PATH, exchange -> {
                boolean found = exchange.getRequestURI().getPath().equals(SNS_SIGNING_CERT_PATH);
                byte[] body = found ? cert : "not found\n".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", found ? "application/x-pem-file" : "text/plain; charset=utf-8");
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(found ? 200 : 404, head ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    if (!head) {
                        out.write(body);
                    }
                }
            });
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/ready", exchange -> {
            boolean ok = ready.getAsBoolean();
            byte[] body = (ok ? "ready\n" : "not ready: some group has no leader\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/health", exchange -> {
            byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
