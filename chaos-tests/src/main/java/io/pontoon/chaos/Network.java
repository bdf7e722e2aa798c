package io.pontoon.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Where the nodes live on the network, and how they are cut off from each other. Partitions work in both modes;
 * every run says which one it used.
 *
 * <ul>
 *   <li><b>netns</b> (when running as root with iproute2): each node runs in its own network namespace with
 *       its own address on a private bridge ({@code 10.201.X.0/24}); the harness reaches every node through
 *       the bridge. A partition between two nodes is a pair of blackhole routes inside their namespaces, so
 *       packets between them are really dropped, in both directions, while both stay reachable from the
 *       harness (as clients on the other side of a partition would be).</li>
 *   <li><b>loopback</b> (otherwise, or when asked for): all nodes on 127.0.0.1; each node's Raft port is reached
 *       only through the harness's {@link LinkProxy}, which refuses and severs the connections of cut links.
 *       Nodes listen on a private port ({@code raft.listen.port}) behind their advertised one.</li>
 * </ul>
 * Namespaces, veths and the bridge are removed on {@link #close()} (and by a JVM shutdown hook).
 */
public final class Network implements AutoCloseable {
    public enum Mode { NETNS, LOOPBACK }

    /** What a run asks for: namespaces where the harness may create them, or loopback regardless. */
    public enum Preference { NETNS_IF_ROOT, LOOPBACK }

    private final Mode mode;
    private final int nodes;
    private final String tag;
    private final int subnet;
    private final Consumer<String> log;
    private final Set<List<Integer>> cuts = new HashSet<>();
    private final LinkProxy proxy; // loopback mode only
    private final Thread cleanup;
    private volatile boolean closed;

    private Network(Mode mode, int nodes, String tag, int subnet, Consumer<String> log) {
        this.mode = mode;
        this.nodes = nodes;
        this.tag = tag;
        this.subnet = subnet;
        this.log = log;
        this.proxy = mode == Mode.LOOPBACK ? new LinkProxy(nodes, log) : null;
        this.cleanup = new Thread(this::teardown, "chaos-network-cleanup");
        if (mode == Mode.NETNS) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
    }

    /**
     * Namespaces if preferred and this process may create them (root, iproute2), else loopback;
     * {@code -Dchaos.network=loopback} forces loopback.
     */
    public static Network create(int nodes, Preference preference, Consumer<String> log) {
        if (preference == Preference.LOOPBACK || "loopback".equals(System.getProperty("chaos.network")) || !isRoot()) {
            return loopback(nodes, log);
        }
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        int subnet = ThreadLocalRandom.current().nextInt(1, 255);
        Network n = new Network(Mode.NETNS, nodes, tag, subnet, log);
        try {
            n.setUp();
            return n;
        } catch (IOException e) {
            n.close();
            log.accept("network namespaces unavailable (" + e.getMessage() + "); falling back to loopback");
            return loopback(nodes, log);
        }
    }

    private static Network loopback(int nodes, Consumer<String> log) {
        Network n = new Network(Mode.LOOPBACK, nodes, "", 0, log);
        log.accept("network: " + n.describe());
        return n;
    }

    public Mode mode() {
        return mode;
    }

    public String describe() {
        return mode == Mode.NETNS
                ? "netns (each node in its own network namespace on bridge " + bridge() + ", 10.201." + subnet + ".0/24; partitions drop packets)"
                : "loopback (3 node JVMs on 127.0.0.1; Raft traffic goes through the harness's link proxy, which knows each "
                        + "connection's node from /proc; partitions refuse and sever the cut links' connections)";
    }

    /** The address node {@code i} (0-based) binds to and is reached at. */
    public String host(int i) {
        return mode == Mode.NETNS ? "10.201." + subnet + "." + (i + 1) : "127.0.0.1";
    }

    /**
     * The address at which the nodes reach the harness's own process (a workload's HTTP endpoint): the bridge's
     * address in netns mode (10.201.X.254, which every namespace routes to), 127.0.0.1 on loopback. Partitions cut
     * links between nodes only, never a node's link to the harness.
     */
    public String harnessHost() {
        return mode == Mode.NETNS ? "10.201." + subnet + ".254" : "127.0.0.1";
    }

    /** Prepended to a node's command line: runs it inside its namespace. */
    public List<String> launchPrefix(int i) {
        return mode == Mode.NETNS ? List.of("ip", "netns", "exec", namespace(i)) : List.of();
    }

    /** True if nodes must listen on a private Raft port behind their advertised one ({@link #route}). */
    public boolean proxiesRaft() {
        return mode == Mode.LOOPBACK;
    }

    /** Loopback mode: node {@code i} is advertised at {@code advertisedPort} and listens on {@code listenPort}. */
    public void route(int i, int advertisedPort, int listenPort) throws IOException {
        if (proxy == null) throw new IllegalStateException("only loopback mode proxies Raft traffic (this is " + mode + ")");
        proxy.route(i, advertisedPort, listenPort);
    }

    /** Loopback mode: how to find node {@code i}'s current process, to tell which node a connection comes from. */
    public void identifyNodesBy(IntFunction<Long> pidOfNode) {
        if (proxy != null) proxy.identifyNodesBy(pidOfNode);
    }

    /** Cuts all traffic between nodes {@code a} and {@code b}, both ways. */
    public synchronized void cut(int a, int b) throws IOException {
        List<Integer> pair = List.of(Math.min(a, b), Math.max(a, b));
        if (!cuts.add(pair)) return;
        if (mode == Mode.LOOPBACK) {
            proxy.cut(a, b);
        } else {
            ip(namespace(a), "route", "add", "blackhole", host(b) + "/32");
            ip(namespace(b), "route", "add", "blackhole", host(a) + "/32");
        }
    }

    /** Removes every cut. */
    public synchronized void healAll() throws IOException {
        if (mode == Mode.LOOPBACK) {
            proxy.healAll();
            cuts.clear();
            return;
        }
        for (List<Integer> pair : List.copyOf(cuts)) {
            int a = pair.get(0), b = pair.get(1);
            ip(namespace(a), "route", "del", "blackhole", host(b) + "/32");
            ip(namespace(b), "route", "del", "blackhole", host(a) + "/32");
            cuts.remove(pair);
        }
    }

    /**
     * Evidence: can node {@code from} reach {@code host:port} within {@code timeoutMs}? In netns mode a TCP connect
     * from inside its namespace; in loopback mode a connection through the link proxy as that node, which must get
     * the target Raft server's HTTP/2 SETTINGS frame back.
     */
    public boolean canConnect(int from, String host, int port, int timeoutMs) throws IOException, InterruptedException {
        if (mode == Mode.LOOPBACK) return proxy.probe(from, port, timeoutMs);
        double seconds = Math.max(0.1, timeoutMs / 1000.0);
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace(from), "timeout", String.valueOf(seconds),
                "bash", "-c", "</dev/tcp/" + host + "/" + port).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutMs + 5_000L, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** What the cut did to the nodes' own traffic on a link, where the network can tell (loopback: the proxy's counts). */
    public String trafficOnLink(int a, int b) {
        return mode == Mode.LOOPBACK ? "proxy " + proxy.counts(a, b) + " node connections" : "";
    }

    /** Loopback mode: node connections the proxy could not attribute to a node (each would leak through a partition). */
    public int unidentifiedConnections() {
        return proxy == null ? 0 : proxy.unidentified();
    }

    @Override
    public void close() {
        if (proxy != null) proxy.close();
        teardown();
        if (mode == Mode.NETNS) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs teardown itself
            }
        }
    }

    private void setUp() throws IOException {
        run("ip", "link", "add", bridge(), "type", "bridge");
        run("ip", "addr", "add", "10.201." + subnet + ".254/24", "dev", bridge());
        run("ip", "link", "set", bridge(), "up");
        for (int i = 0; i < nodes; i++) {
            String ns = namespace(i);
            run("ip", "netns", "add", ns);
            run("ip", "link", "add", outside(i), "type", "veth", "peer", "name", inside(i));
            run("ip", "link", "set", inside(i), "netns", ns);
            run("ip", "link", "set", outside(i), "master", bridge());
            run("ip", "link", "set", outside(i), "up");
            ip(ns, "addr", "add", host(i) + "/24", "dev", inside(i));
            ip(ns, "link", "set", inside(i), "up");
            ip(ns, "link", "set", "lo", "up");
        }
        log.accept("network: " + describe());
    }

    private synchronized void teardown() {
        if (mode != Mode.NETNS || closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < nodes; i++) {
            quietly("ip", "netns", "del", namespace(i)); // also removes the veth pair
        }
        quietly("ip", "link", "del", bridge());
    }

    private String namespace(int i) {
        return "pontoon-" + tag + "-n" + (i + 1);
    }

    private String bridge() {
        return "pbr" + tag;
    }

    /** Interface names are at most 15 characters. */
    private String outside(int i) {
        return "pv" + tag + "o" + (i + 1);
    }

    private String inside(int i) {
        return "pv" + tag + "i" + (i + 1);
    }

    private static void ip(String namespace, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "ip"));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    private static void run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
        if (p.exitValue() != 0) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static void quietly(String... cmd) {
        try {
            run(cmd);
        } catch (IOException ignored) {
            // best effort cleanup
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && "0".equals(uid) && new java.io.File("/usr/sbin/ip").canExecute()
                    || "0".equals(uid) && new java.io.File("/sbin/ip").canExecute();
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
