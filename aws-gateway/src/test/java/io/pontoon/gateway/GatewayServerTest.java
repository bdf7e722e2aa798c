package io.pontoon.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the HTTP server bounds before any protocol sees a request: body sizes (refused from the declared length,
 * before the body is read), undeclared lengths, all bodies held at once, connections, idle clients; and that
 * pipelined requests are answered in order. The protocol here echoes, so only the server is under test.
 */
class GatewayServerTest {
    private static final int MAX_BODY = 64 << 10;
    private final AtomicInteger handled = new AtomicInteger();
    private final CountDownLatch firstHandled = new CountDownLatch(1);
    private GatewayServer server;

    /** Answers with the request's path and body length; a path of /slow/N waits N ms first. */
    private final Protocol echo = new Protocol() {
        @Override
        public boolean accepts(HttpExchange request) {
            return true;
        }

        @Override
        public CompletableFuture<HttpExchange.Reply> handle(HttpExchange request) {
            handled.incrementAndGet();
            firstHandled.countDown();
            long delayMs = request.path().startsWith("/slow/") ? Long.parseLong(request.path().substring(6)) : 0;
            return CompletableFuture.supplyAsync(() -> HttpExchange.Reply.text(200, request.path() + " " + request.body().length),
                    CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
        }

        @Override
        public HttpExchange.Reply error(int httpStatus, String code, String message) {
            return HttpExchange.Reply.text(httpStatus, code + ": " + message);
        }
    };

    private void start(long bufferBytes, int maxConnections, long idleMs) throws Exception {
        server = GatewayServer.start(new GatewayConfig("127.0.0.1", 0, Optional.empty(), MAX_BODY, bufferBytes, maxConnections, idleMs, 25_000, Map.of()),
                List.of(echo));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedWith413BeforeItIsSent() throws Exception {
        start(1 << 20, 10, 60_000);
        try (Socket s = connect()) {
            send(s, "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n");
            String answer = readAll(s);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("over the limit of " + MAX_BODY + " bytes"), answer);
        }
        assertEquals(0, handled.get());
    }

    @Test
    void aChunkedBodyWithoutALengthIsRefusedWith411() throws Exception {
        start(1 << 20, 10, 60_000);
        try (Socket s = connect()) {
            send(s, "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertTrue(readAll(s).startsWith("HTTP/1.1 411"));
        }
        assertEquals(0, handled.get());
    }

    @Test
    void requestsBeyondTheNodesRequestBufferAreRefusedWith503UntilBytesAreFreed() throws Exception {
        start(MAX_BODY, 10, 60_000);
        String body = "x".repeat(MAX_BODY);
        try (Socket holder = connect(); Socket refused = connect()) {
            send(holder, "POST /slow/3000 HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertTrue(firstHandled.await(10, TimeUnit.SECONDS), "the request reached the protocol");
            send(refused, "POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
            assertTrue(readAll(refused).startsWith("HTTP/1.1 503"));
            assertTrue(readResponse(holder.getInputStream()).contains("/slow/3000 " + MAX_BODY));
        }
        try (Socket after = connect()) {
            send(after, "POST /after HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789");
            assertTrue(readAll(after).contains("/after 10"), "the held bytes were given back");
        }
    }

    @Test
    void aRequestThatDoesNotArriveWholeInTimeIsCutOffAndItsBufferShareComesBack() throws Exception {
        start(MAX_BODY, 10, 1_000);
        try (Socket slow = connect()) {
            send(slow, "POST /slow-client HTTP/1.1\r\nHost: x\r\nContent-Length: " + MAX_BODY + "\r\n\r\n" + "x".repeat(MAX_BODY / 2));
            long start = System.nanoTime();
            assertEquals(-1, slow.getInputStream().read(), "the slow client is cut off");
            assertTrue(System.nanoTime() - start < 10_000_000_000L);
        }
        // The server gives the share back when it sees the connection end, which may be just after the client does.
        String body = "y".repeat(MAX_BODY);
        String answer = "";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
            try (Socket next = connect()) {
                send(next, "POST /next HTTP/1.1\r\nHost: x\r\nContent-Length: " + MAX_BODY + "\r\nConnection: close\r\n\r\n" + body);
                answer = readAll(next);
            } catch (java.net.SocketException refusedMidBody) {
                answer = refusedMidBody.toString(); // a 503 closes the connection, possibly while the body is still sent
            }
        }
        assertTrue(answer.contains("/next " + MAX_BODY), "the whole buffer is free again: " + answer);
        assertEquals(1, handled.get(), "the cut-off request never reached the protocol");
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception {
        start(1 << 20, 10, 60_000);
        try (Socket s = connect()) {
            send(s, "POST /slow/300 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"
                    + "POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nbb");
            String answers = readAll(s);
            int slow = answers.indexOf("/slow/300 1");
            int fast = answers.indexOf("/fast 2");
            assertTrue(slow >= 0 && fast > slow, answers);
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAndAnIdleOneIsClosedAfterItsTimeout() throws Exception {
        start(1 << 20, 1, 1_000);
        try (Socket first = connect()) {
            send(first, "GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(readResponse(first.getInputStream()).contains("/one 0"));
            try (Socket second = connect()) {
                assertEquals(-1, second.getInputStream().read(), "the second connection is closed");
            }
            long start = System.nanoTime();
            assertEquals(-1, first.getInputStream().read(), "the idle connection is closed");
            assertTrue(System.nanoTime() - start < 10_000_000_000L);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(15_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** One response: headers, then Content-Length bytes of body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.UTF_8);
        Map<String, String> byName = new java.util.HashMap<>();
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                byName.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(Integer.parseInt(byName.getOrDefault("content-length", "0")));
        return headers + new String(body, StandardCharsets.UTF_8);
    }

}
