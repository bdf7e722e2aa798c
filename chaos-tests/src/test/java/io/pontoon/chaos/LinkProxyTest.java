package io.pontoon.chaos;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loopback partition: the link proxy tells which node a connection comes from (here this JVM plays node 0),
 * pipes its bytes, and refuses and severs the connections of a cut link until it is healed.
 */
class LinkProxyTest {
    private static final long SELF = ProcessHandle.current().pid();
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private ServerSocket echo;
    private LinkProxy proxy;
    private int advertised;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, loopback);
        Thread t = new Thread(this::echoLoop, "echo");
        t.setDaemon(true);
        t.start();
        proxy = new LinkProxy(3, line -> { });
        proxy.identifyNodesBy(i -> i == 0 ? SELF : -1L);
        for (int attempt = 1; ; attempt++) {
            advertised = Cluster.freePorts(1).get(0);
            try {
                proxy.route(1, advertised, echo.getLocalPort()); // node 1 listens on the echo server's port
                break;
            } catch (java.net.BindException e) {
                // the probed port was free, but another process's connection took it before the bind (CI saw this once)
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void aNodesConnectionIsPipedToThePeersListenPort() throws IOException {
        try (Socket s = connect()) {
            assertEquals("ping", roundTrip(s, "ping"));
        }
        assertEquals(0, proxy.unidentified(), "this JVM's socket was attributed to node 0 through /proc");
    }

    @Test
    void aConnectionNoNodeHoldsIsLetThroughButCountedSoAPartitionRunCannotPassOnIt() throws IOException {
        proxy.identifyNodesBy(i -> -1L); // no node process holds this JVM's socket
        proxy.cut(0, 1);
        try (Socket s = connect()) {
            assertEquals("x", roundTrip(s, "x"));
        }
        assertEquals(1, proxy.unidentified());
    }

    @Test
    void cuttingALinkSeversItsOpenConnectionsAndRefusesNewOnesUntilHealed() throws IOException {
        try (Socket open = connect()) {
            assertEquals("a", roundTrip(open, "a"));
            proxy.cut(1, 0);
            assertThrowsOrEof(open);
        }
        try (Socket refused = connect()) {
            assertThrowsOrEof(refused);
        }
        assertEquals("refused 1, severed 1", proxy.counts(0, 1));

        proxy.healAll();
        try (Socket again = connect()) {
            assertEquals("b", roundTrip(again, "b"));
        }
    }

    @Test
    void aProbeSpeaksForTheNodeItNamesSoOnlyItsOwnLinksDecide() throws IOException {
        proxy.cut(0, 1);
        assertFalse(proxy.probe(0, advertised, 1000), "node 0 is cut off from node 1");
        assertTrue(proxy.probe(2, advertised, 1000), "node 2's link to node 1 is intact");
        proxy.cut(2, 1);
        assertFalse(proxy.probe(2, advertised, 1000));
        proxy.healAll();
        assertTrue(proxy.probe(0, advertised, 1000));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(loopback, advertised);
        s.setSoTimeout(5000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        byte[] buf = new byte[text.length()];
        int n = s.getInputStream().readNBytes(buf, 0, buf.length);
        return new String(buf, 0, n);
    }

    private static void assertThrowsOrEof(Socket s) {
        try {
            s.getOutputStream().write('x');
            assertEquals(-1, s.getInputStream().read(), "the proxy should have closed this connection");
        } catch (SocketException closed) {
            // reset by the proxy: also closed
        } catch (IOException e) {
            fail("expected the connection closed, got " + e);
        }
    }

    private void echoLoop() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // closed by the proxy
                    }
                }, "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
