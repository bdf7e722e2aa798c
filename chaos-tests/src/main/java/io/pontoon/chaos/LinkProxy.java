package io.pontoon.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Partitions on loopback: every node's Raft port is reachable only through this proxy, which knows which node
 * each connection comes from and drops the links that are cut.
 *
 * <p>Node {@code j} listens on a private port ({@code raft.listen.port}) and is advertised to the others (in
 * {@code peers}) at a port this proxy listens on. For each accepted connection the proxy finds the calling node
 * with {@link SocketOwners} (on loopback every caller is 127.0.0.1, so the address cannot say), then either
 * pipes bytes both ways or, if the link is cut, closes the connection at once. Cutting a link also severs its
 * open connections. The node sees what it would see from a peer that reset or refused it; gRPC and Ratis then
 * retry until the link is healed. A connection whose caller cannot be identified is let through and counted.
 *
 * <p>The harness proves a cut with {@link #probe}: a connection registered as coming from a node, which must
 * (or must not) get the target's HTTP/2 SETTINGS frame back through the proxy.
 */
final class LinkProxy implements AutoCloseable {
    /** An HTTP/2 client connection preface plus an empty SETTINGS frame: a gRPC server answers with its SETTINGS. */
    private static final byte[] H2_PREFACE = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[]{0, 0, 0, 4, 0, 0, 0, 0, 0});

    /** {@link #callerOf} for a caller whose socket is already gone (it gave up): nothing to admit. */
    private static final int GONE = -2;

    private record Link(int from, int to) {
    }

    /** One proxied connection; closing it closes both sockets, so both pumps end. */
    private record Tunnel(Link link, Socket caller, Socket upstream) {
        void close() {
            closeQuietly(caller);
            closeQuietly(upstream);
        }
    }

    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final int nodes;
    private final Consumer<String> log;
    private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> probes = new ConcurrentHashMap<>(); // probe's local port -> node it speaks for
    private final Set<Tunnel> tunnels = ConcurrentHashMap.newKeySet();
    private final Set<Link> cut = ConcurrentHashMap.newKeySet();
    private final Map<Link, Integer> refused = new ConcurrentHashMap<>();
    private final Map<Link, Integer> severed = new ConcurrentHashMap<>();
    private volatile IntFunction<Long> pidOfNode = i -> -1L;
    private final AtomicInteger unidentified = new AtomicInteger();
    private volatile boolean closed;

    LinkProxy(int nodes, Consumer<String> log) {
        this.nodes = nodes;
        this.log = log;
    }

    /** How the proxy finds node {@code i}'s current process (it changes across restarts); -1 if it has none. */
    void identifyNodesBy(IntFunction<Long> pidOfNode) {
        this.pidOfNode = pidOfNode;
    }

    /** Accepts connections for node {@code node} on {@code advertisedPort} and forwards them to its {@code listenPort}. */
    void route(int node, int advertisedPort, int listenPort) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(loopback, advertisedPort), 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        listeners.add(server);
        Thread t = new Thread(() -> acceptLoop(server, node, listenPort), "link-proxy-n" + (node + 1));
        t.setDaemon(true);
        t.start();
    }

    /** Cuts the link between {@code a} and {@code b} both ways, severing its open connections; restarts its {@link #counts}. */
    void cut(int a, int b) {
        for (Link l : List.of(new Link(a, b), new Link(b, a))) {
            refused.remove(l);
            severed.remove(l);
            cut.add(l);
        }
        for (Tunnel t : List.copyOf(tunnels)) {
            if (cut.contains(t.link())) {
                severed.merge(t.link(), 1, Integer::sum);
                t.close();
            }
        }
    }

    void healAll() {
        cut.clear();
    }

    /** What the proxy did to the link's connections since it was last cut: "refused R, severed S". */
    String counts(int a, int b) {
        int r = refused.getOrDefault(new Link(a, b), 0) + refused.getOrDefault(new Link(b, a), 0);
        int s = severed.getOrDefault(new Link(a, b), 0) + severed.getOrDefault(new Link(b, a), 0);
        return "refused " + r + ", severed " + s;
    }

    /** Connections let through without knowing their node (should stay 0: each is a hole in any partition). */
    int unidentified() {
        return unidentified.get();
    }

    /**
     * Evidence: does a connection from node {@code from} to the node advertised at {@code advertisedPort} reach that
     * node's Raft server (its HTTP/2 SETTINGS frame comes back) within {@code timeoutMs}?
     */
    boolean probe(int from, int advertisedPort, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(loopback, 0));
            probes.put(s.getLocalPort(), from);
            try {
                s.connect(new InetSocketAddress(loopback, advertisedPort), timeoutMs);
                s.setSoTimeout(timeoutMs);
                s.getOutputStream().write(H2_PREFACE);
                s.getOutputStream().flush();
                return s.getInputStream().read() >= 0;
            } catch (SocketTimeoutException | java.net.SocketException e) {
                return false;
            } finally {
                probes.remove(s.getLocalPort());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        listeners.forEach(LinkProxy::closeQuietly);
        tunnels.forEach(Tunnel::close);
    }

    private void acceptLoop(ServerSocket server, int node, int listenPort) {
        while (!closed) {
            Socket caller;
            try {
                caller = server.accept();
            } catch (IOException e) {
                if (!closed) log.accept("link proxy: accept for n" + (node + 1) + " failed: " + e);
                return;
            }
            Thread t = new Thread(() -> admit(caller, node, listenPort), "link-proxy-admit");
            t.setDaemon(true);
            t.start();
        }
    }

    private void admit(Socket caller, int node, int listenPort) {
        int from = callerOf(caller);
        if (from == GONE) {
            closeQuietly(caller);
            return;
        }
        Link link = new Link(from, node);
        if (cut.contains(link)) {
            refused.merge(link, 1, Integer::sum);
            closeQuietly(caller);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(loopback, listenPort), 2000);
            caller.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(caller); // the node is down: the caller sees its connection closed, as it would a refusal
            closeQuietly(upstream);
            return;
        }
        Tunnel tunnel = new Tunnel(link, caller, upstream);
        tunnels.add(tunnel);
        if (cut.contains(link)) { // cut while we connected: do not let it slip through
            tunnels.remove(tunnel);
            tunnel.close();
            return;
        }
        pump(tunnel, caller, upstream, "up");
        pump(tunnel, upstream, caller, "down");
    }

    /**
     * The node a connection comes from: a registered probe, else the node process holding its other end; -1 if it
     * is held by no node (let through and counted), {@link #GONE} if its other end is already closed.
     */
    private int callerOf(Socket caller) {
        int port = caller.getPort();
        Integer probe = probes.get(port);
        if (probe != null) return probe;
        Map<Long, Integer> nodeOfPid = new HashMap<>();
        for (int i = 0; i < nodes; i++) nodeOfPid.put(pidOfNode.apply(i), i);
        try {
            OptionalLong inode = SocketOwners.inodeOf(port, caller.getLocalPort());
            if (inode.isEmpty()) return GONE;
            OptionalLong pid = SocketOwners.holderOf(inode.getAsLong(), new ArrayList<>(nodeOfPid.keySet()));
            if (pid.isPresent()) return nodeOfPid.get(pid.getAsLong());
        } catch (IOException | RuntimeException e) {
            log.accept("link proxy: cannot read socket owners: " + e);
        }
        unidentified.incrementAndGet();
        log.accept("link proxy: connection from port " + port + " to " + caller.getLocalPort() + " has no known node; let through");
        return -1;
    }

    private void pump(Tunnel tunnel, Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // severed, reset or closed by either side
            } finally {
                tunnels.remove(tunnel);
                tunnel.close();
            }
        }, "link-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
