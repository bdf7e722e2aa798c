package io.pontoon.chaos;

import io.pontoon.api.v1.CreateStreamRequest;
import io.pontoon.api.v1.GetRoutingTableResponse;
import io.pontoon.api.v1.PartitionInfo;
import io.pontoon.api.v1.StreamShardRoute;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Three Pontoon nodes as separate OS processes (JVMs), for chaos runs, on a {@link Network}: each in its
 * own network namespace when the harness may create them, else on loopback behind a link proxy. Each node has its own
 * data dir {@code <runDir>/nN} and log {@code <runDir>/nN.log} (appended across restarts). Nodes can be
 * killed with SIGKILL and restarted with the same configuration, or paused with SIGSTOP and resumed with
 * SIGCONT. A node process that exits without the harness having killed it is recorded in
 * {@link #unexpectedExits()}.
 *
 */
public final class Cluster implements AutoCloseable {
    public static final String MAIN_CLASS = "io.pontoon.server.Main";

    /** One node's fixed configuration; {@code raftPort} is where peers reach it, {@code raftListenPort} where it listens (they differ behind the loopback link proxy). */
    public record NodeSpec(String id, int index, String host, int raftPort, int raftListenPort, int clientPort, int metricsPort,
                           Path dataDir, Path log) {
        public String clientAddress() {
            return host + ":" + clientPort;
        }
    }

    private final class Node {
        final NodeSpec spec;
        volatile Process process;
        volatile boolean expectedDown;
        volatile boolean paused;

        Node(NodeSpec spec) {
            this.spec = spec;
        }
    }

    private final Path runDir;
    private final Profile profile;
    private final List<String> extraArgs;
    private final Consumer<String> log;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final String peers;
    private final List<String> unexpectedExits = new CopyOnWriteArrayList<>();
    private final PontoonClient admin;
    private final Network network;
    private final Map<String, LossyDisk> disks = new LinkedHashMap<>();
    private Disks diskKind = Disks.PLAIN; // what is mounted (PLAIN if lossy disks were wanted but are unavailable)
    private final String disksMode;
    private final Thread shutdownHook;
    /** TLS and access key of a secure cluster, or null. */
    private final Security security;
    private volatile boolean closing;

    /**
     * Starts three nodes and returns once every node answers /health (not yet once the cluster serves
     * requests: see {@link #awaitReady}).
     *
     * @param extraArgs  extra {@code --key=value} flags passed to every node, e.g. a seeded bug
     * @param disks      where each node's data dir lives; LOSSY and LYING need FUSE (see {@link #lossyDisks()})
     * @param network    namespaces where possible, or loopback with the link proxy
     */
    public static Cluster start(Path runDir, List<String> extraArgs, Disks disks, Network.Preference network, Consumer<String> log)
            throws IOException {
        return start(runDir, Profile.CHAOS, extraArgs, disks, network, false, log);
    }

    /** As {@link #start(Path, List, Disks, Network.Preference, Consumer)}, with the nodes' JVM and settings from {@code profile}. */
    public static Cluster start(Path runDir, Profile profile, List<String> extraArgs, Disks disks, Network.Preference network,
                                Consumer<String> log) throws IOException {
        return start(runDir, profile, extraArgs, disks, network, false, log);
    }

    /**
     * As above; {@code secure}: TLS on every node port, mutual TLS between the nodes (a development CA made in
     * {@code <runDir>/tls}) and {@code auth.mode=sigv4}, with clients ({@link #clientBuilder()}) that trust the CA and
     * sign their calls.
     */
    public static Cluster start(Path runDir, Profile profile, List<String> extraArgs, Disks disks, Network.Preference network,
                                boolean secure, Consumer<String> log) throws IOException {
        Cluster c = new Cluster(runDir, profile, extraArgs, disks, network, secure, log);
        try {
            for (Node n : c.nodes.values()) c.launch(n);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (Node n : c.nodes.values()) c.awaitHealthy(n.spec.id(), deadline);
            return c;
        } catch (RuntimeException | IOException e) {
            c.close();
            throw e;
        }
    }

    /**
     * How node JVMs run. CHAOS: small and fast to restart (serial GC, 3 partitions, small RocksDB caches, quick
     * ticks), for fault runs. DEFAULTS: exactly what {@code scripts/local-cluster} runs (bin/pontoon-server's JVM
     * options with {@code PONTOON_HEAP=512m}, every node setting at its default), for tests that claim something
     * about an out-of-the-box node, such as its heap.
     */
    public enum Profile {
        CHAOS(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), List.of("--partitions=3",
                "--raft.election.timeout.min.ms=1000", "--raft.election.timeout.max.ms=2000",
                "--tick.interval.ms=500", "--long.poll.recheck.ms=200",
                "--rocksdb.block.cache.bytes=" + (64L << 20), "--rocksdb.write.buffer.bytes=" + (32L << 20))),
        DEFAULTS(List.of("-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50", "-XX:+ExitOnOutOfMemoryError"), List.of());

        final List<String> jvm;
        final List<String> settings;

        Profile(List<String> jvm, List<String> settings) {
            this.jvm = jvm;
            this.settings = settings;
        }
    }

    /** PLAIN: the host's file system; LOSSY: {@link LossyDisk} (power loss drops un-fsynced writes); LYING: a lossy disk on which the Raft log's fsync keeps nothing (red gate). */
    public enum Disks { PLAIN, LOSSY, LYING }

    private Cluster(Path runDir, Profile profile, List<String> extraArgs, Disks wanted, Network.Preference networkPreference,
                    boolean secure, Consumer<String> log) throws IOException {
        this.runDir = runDir;
        this.profile = profile;
        this.extraArgs = List.copyOf(extraArgs);
        this.log = log;
        Files.createDirectories(runDir);
        this.network = Network.create(3, networkPreference, log);
        try {
            this.peers = layOutNodes();
            this.security = secure ? Security.make(runDir.resolve("tls"), nodes.values().stream().map(n -> n.spec).toList(), log) : null;
            this.disksMode = wanted == Disks.PLAIN ? "plain disks" : mountLossyDisks(wanted);
        } catch (IOException | RuntimeException e) {
            network.close(); // namespaces or proxy listeners would otherwise outlive the failed start
            throw e;
        }
        this.admin = clientBuilder()
                .connectTimeoutMs(1000).requestTimeoutMs(2000).maxAttempts(3).backoffBaseMs(50).backoffMaxMs(300).build();
        this.shutdownHook = new Thread(() -> {
            destroyAll();
            disks.values().forEach(LossyDisk::close);
        }, "chaos-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Chooses each node's ports on the network (behind the link proxy in loopback mode); returns the {@code peers} flag. */
    private String layOutNodes() throws IOException {
        List<Integer> ports = freePorts(12);
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String id = "n" + (i + 1);
            int raftPort = ports.get(4 * i);
            int listenPort = network.proxiesRaft() ? ports.get(4 * i + 3) : raftPort;
            NodeSpec spec = new NodeSpec(id, i, network.host(i), raftPort, listenPort, ports.get(4 * i + 1), ports.get(4 * i + 2),
                    runDir.resolve(id), runDir.resolve(id + ".log"));
            nodes.put(id, new Node(spec));
            if (network.proxiesRaft()) network.route(i, raftPort, listenPort);
            p.append(i == 0 ? "" : ",").append(id).append('@').append(spec.host()).append(':').append(spec.raftPort())
                    .append(':').append(spec.clientPort());
        }
        List<String> ids = List.copyOf(nodes.keySet());
        network.identifyNodesBy(i -> pid(ids.get(i)));
        return p.toString();
    }

    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    public NodeSpec spec(String id) {
        return node(id).spec;
    }

    public List<String> clientAddresses() {
        return nodes.values().stream().map(n -> n.spec.clientAddress()).toList();
    }

    public String peers() {
        return peers;
    }

    public Network network() {
        return network;
    }

    /** True if every node's data dir is on a {@link LossyDisk}, so {@link #powerLoss} can drop unsynced writes. */
    public boolean lossyDisks() {
        return diskKind != Disks.PLAIN;
    }

    /** How the nodes' data dirs are stored, for the run log (says why if lossy disks were wanted but unavailable). */
    public String disksMode() {
        return disksMode;
    }

    private String mountLossyDisks(Disks wanted) throws IOException {
        boolean ignoreFsync = wanted == Disks.LYING;
        LossyDisk.Availability lossyfs = LossyDisk.locate();
        if (!lossyfs.available()) return "plain disks (lossy disks unavailable: " + lossyfs.unavailableBecause() + ")";
        try {
            for (Node n : nodes.values()) {
                Path backing = runDir.resolve(n.spec.id() + "-disk");
                disks.put(n.spec.id(), LossyDisk.mount(lossyfs.binary(), backing, n.spec.dataDir(), ignoreFsync, log));
            }
        } catch (IOException | RuntimeException e) {
            disks.values().forEach(LossyDisk::close);
            throw e;
        }
        diskKind = wanted;
        return (ignoreFsync ? "LYING disks (seeded bug: the Raft log's fsync keeps nothing; " : "lossy disks (") + "lossyfs over "
                + runDir.resolve("nX-disk") + ": writes are volatile until fsync)";
    }

    /**
     * Simulated power loss on a node's disk: drops every write it had not fsynced. The node must be down
     * ({@link #kill}); returns lossyfs's report of what it dropped.
     */
    public String powerLoss(String id) throws IOException {
        Node n = node(id);
        if (n.process != null && n.process.isAlive()) throw new IllegalStateException(id + " is running; kill it before a power loss");
        String report = disk(id).powerLoss();
        log.accept("power loss on " + id + "'s disk: dropped unsynced writes (" + report + ")");
        return report;
    }

    /** True if the disks were mounted as the red gate's lying disks. */
    public boolean disksLie() {
        return diskKind == Disks.LYING;
    }

    /** Makes a lying disk start lying (the Raft log's fsyncs keep nothing until the next power loss). */
    public void startLying(String id) throws IOException {
        disk(id).startLying();
        log.accept(id + "'s disk now lies about fsync of the Raft log (seeded bug)");
    }

    private LossyDisk disk(String id) {
        LossyDisk disk = disks.get(id);
        if (disk == null) throw new IllegalStateException("no lossy disk under " + id);
        return disk;
    }

    /** Sets the node's test clock offset (read by the node every 100 ms; it logs each change). */
    public void setClockOffset(String id, long offsetMs) throws IOException {
        Files.writeString(clockFile(node(id).spec), Long.toString(offsetMs));
        log.accept("clock of " + id + " set to offset " + offsetMs + " ms");
    }

    private Path clockFile(NodeSpec s) {
        return runDir.resolve(s.id() + ".clock");
    }

    public Path runDir() {
        return runDir;
    }

    /** A client for harness bookkeeping (routing, readiness), not the workload. */
    /** A client builder for this cluster: bootstrapped from every node; trusting the CA and signing, when secure. */
    public PontoonClient.Builder clientBuilder() {
        PontoonClient.Builder b = PontoonClient.builder().bootstrap(clientAddresses());
        return security == null ? b : b.tlsTrust(security.caFile()).credentials(security.accessKeyId(), security.secret());
    }

    /** Whether the nodes run with TLS and auth.mode=sigv4. */
    public boolean secure() {
        return security != null;
    }

    public PontoonClient admin() {
        return admin;
    }

    public List<String> unexpectedExits() {
        return List.copyOf(unexpectedExits);
    }

    public long pid(String id) {
        Process p = node(id).process;
        return p == null ? -1 : p.pid();
    }

    public boolean isPaused(String id) {
        return node(id).paused;
    }

    public boolean isAlive(String id) {
        Process p = node(id).process;
        return p != null && p.isAlive();
    }

    private Node node(String id) {
        Node n = nodes.get(id);
        if (n == null) throw new IllegalArgumentException("no node " + id);
        return n;
    }

    /** The java binary running this JVM (the project's JDK 21+). */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The classpath to run nodes with: this JVM's (chaos-tests runtime classpath includes broker-server). */
    static String classpath() {
        String explicit = System.getProperty("chaos.classpath");
        if (explicit != null && !explicit.isBlank()) return explicit;
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) return surefire;
        return System.getProperty("java.class.path");
    }

    private void launch(Node n) throws IOException {
        NodeSpec s = n.spec;
        Files.createDirectories(s.dataDir());
        List<String> cmd = new ArrayList<>(network.launchPrefix(s.index()));
        cmd.add(javaBinary());
        cmd.addAll(profile.jvm);
        // Node JVMs run on this JVM's java; from JDK 24 Netty's sun.misc.Unsafe use warns unless allowed.
        if (Runtime.version().feature() >= 24) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED",
                // Wall-clock timestamps in node logs, to line them up with run.log and the history.
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                "-cp", classpath(), MAIN_CLASS,
                "--node.id=" + s.id(), "--data.dir=" + s.dataDir(), "--peers=" + peers, "--raft.listen.port=" + s.raftListenPort(),
                "--test.clock.offset.file=" + clockFile(s),
                "--metrics.port=" + s.metricsPort()));
        cmd.addAll(profile.settings);
        if (security != null) cmd.addAll(security.nodeArgs(s.id()));
        cmd.addAll(extraArgs);
        Files.writeString(s.log(), "\n==== chaos harness: starting " + s.id() + " at " + java.time.Instant.now() + " ====\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(s.log().toFile()));
        n.expectedDown = false;
        n.paused = false;
        Process p = pb.start();
        n.process = p;
        log.accept("started " + s.id() + " pid=" + p.pid() + " client=" + s.clientAddress() + " metrics=" + s.metricsPort());
        p.onExit().thenAccept(done -> {
            if (!n.expectedDown && !closing && n.process == done) {
                String msg = s.id() + " (pid " + done.pid() + ") exited on its own with code " + done.exitValue()
                        + (done.exitValue() == 70 ? " (fatal apply error)" : "") + "; see " + s.log();
                unexpectedExits.add(msg);
                log.accept("ANOMALY: " + msg);
            }
        });
    }

    /** Waits until a CreateQueue of {@code queueName} (with {@code attributes}) succeeds; returns its URL. */
    public String awaitReady(String queueName, Map<String, String> attributes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return admin.createQueue(queueName, attributes);
            } catch (RuntimeException e) {
                last = e;
                sleep(250);
            }
        }
        throw new IllegalStateException("cluster did not accept CreateQueue(" + queueName + ") within " + timeout, last);
    }

    /**
     * Creates a stream of {@code shards} shards (without the per-shard rate limits: the workload measures safety,
     * not throttling), retrying until the cluster accepts it, and waits until it is ACTIVE.
     */
    public void awaitStream(String name, int shards, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        boolean created = false;
        while (System.nanoTime() < deadline) {
            try {
                if (!created) {
                    admin.streams().createStream(CreateStreamRequest.newBuilder().setStreamName(name).setShardCount(shards)
                            .setEnforceShardLimits(false).build());
                    created = true;
                }
                if ("ACTIVE".equals(admin.streams().describeStreamSummary(name).getStreamStatus())) return;
            } catch (PontoonException e) {
                created |= "ResourceInUseException".equals(e.awsCode());
                last = e;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(250);
        }
        throw new IllegalStateException("cluster did not make stream " + name + " ACTIVE within " + timeout, last);
    }

    /** The partition (Raft group) hosting the shard of {@code stream} that holds hash key 0. */
    public String streamPartitionOf(String stream) {
        return admin.streams().shardFor(stream, java.math.BigInteger.ZERO).map(StreamShardRoute::getPartitionId)
                .orElseThrow(() -> new IllegalStateException("no route for stream " + stream));
    }

    /** Every Raft group of the cluster (the controller and the partitions), per the routing table. */
    public List<String> groups() {
        return admin.getRoutingTable().getPartitionsList().stream().map(PartitionInfo::getPartitionId).toList();
    }

    /** True if the node's /health answers HTTP 200 within {@code timeoutMs}. */
    public boolean healthy(String id, int timeoutMs) {
        NodeSpec spec = node(id).spec;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(spec.host(), spec.metricsPort()), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            if (n <= 0) return false;
            String status = new String(buf, 0, n, StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.") && status.contains(" 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until /health answers 200; fails if the process died or the deadline (System.nanoTime) passed. */
    public void awaitHealthy(String id, long deadlineNanos) {
        Node n = node(id);
        while (!healthy(id, 1000)) {
            Process p = n.process;
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(id + " is not running (exit " + (p == null ? "-" : p.exitValue()) + "); see " + n.spec.log());
            }
            if (System.nanoTime() > deadlineNanos) throw new IllegalStateException(id + " did not become healthy; see " + n.spec.log());
            sleep(200);
        }
    }

    /**
     * SIGKILLs a node and waits for the process to be gone. Returns evidence: the pid, whether the OS no
     * longer has it, and the exit code (137 = killed by SIGKILL).
     */
    public String kill(String id) throws InterruptedException {
        Node n = node(id);
        Process p = n.process;
        if (p == null) throw new IllegalStateException(id + " has no process");
        n.expectedDown = true;
        p.destroyForcibly();
        boolean exited = p.waitFor(20, TimeUnit.SECONDS);
        boolean gone = exited && ProcessHandle.of(p.pid()).map(h -> !h.isAlive()).orElse(true);
        String evidence = "pid " + p.pid() + (gone ? " gone, exit code " + p.exitValue() : " STILL ALIVE after SIGKILL");
        log.accept("killed " + id + ": " + evidence);
        if (!gone) throw new IllegalStateException("kill -9 of " + id + " did not take effect: " + evidence);
        return evidence;
    }

    /** Restarts a killed (or stopped) node with the same configuration and waits for its /health. */
    public void restart(String id, Duration timeout) throws IOException {
        Node n = node(id);
        Process p = n.process;
        if (p != null && p.isAlive()) throw new IllegalStateException(id + " is still running (pid " + p.pid() + ")");
        launch(n);
        awaitHealthy(id, System.nanoTime() + timeout.toNanos());
    }

    /** Restarts every listed node that is down, then waits for all of them (a lone node cannot elect leaders). */
    public void restartAll(List<String> ids, Duration timeout) throws IOException {
        for (String id : ids) {
            Process p = node(id).process;
            if (p == null || !p.isAlive()) launch(node(id));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : ids) awaitHealthy(id, deadline);
    }

    /** SIGSTOP. */
    public void pause(String id) throws IOException, InterruptedException {
        Node n = node(id);
        Signals.send(n.process.pid(), "STOP");
        n.paused = true;
        log.accept("paused " + id + " pid=" + n.process.pid());
    }

    /** SIGCONT. */
    public void resume(String id) throws IOException, InterruptedException {
        Node n = node(id);
        Signals.send(n.process.pid(), "CONT");
        n.paused = false;
        log.accept("resumed " + id + " pid=" + n.process.pid());
    }

    /** The scheduler state of a process from /proc (R, S, T = stopped, ...), or '?' if unreadable. */
    public char procState(String id) {
        Process p = node(id).process;
        if (p == null) return '?';
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return stat.charAt(close + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** The partition (Raft group) hosting a queue. */
    public String partitionOf(String queueName) {
        return admin.lookupQueue(queueName);
    }

    /** The current leader of a partition as the routing table reports it, if known. */
    public Optional<String> leaderOf(String partitionId) {
        try {
            GetRoutingTableResponse table = admin.getRoutingTable();
            for (PartitionInfo p : table.getPartitionsList()) {
                if (p.getPartitionId().equals(partitionId) && !p.getLeaderNodeId().isEmpty()) {
                    return Optional.of(p.getLeaderNodeId());
                }
            }
        } catch (RuntimeException e) {
            log.accept("leader lookup failed: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The partition's leader, waiting up to {@code timeout} while an election (after a restart, say) is under way. */
    public String awaitLeaderOf(String partitionId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Optional<String> leader = leaderOf(partitionId); ; leader = leaderOf(partitionId)) {
            if (leader.isPresent()) {
                return leader.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partition " + partitionId + " has no leader after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Removes partitions, resumes paused nodes and restarts dead ones, then waits until every node answers /health. */
    public void heal(Duration timeout) throws IOException, InterruptedException {
        network.healAll();
        for (Node n : nodes.values()) {
            if (n.paused && n.process.isAlive()) resume(n.spec.id());
        }
        for (Node n : nodes.values()) {
            if (n.process == null || !n.process.isAlive()) {
                log.accept("heal: restarting " + n.spec.id());
                launch(n);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Node n : nodes.values()) awaitHealthy(n.spec.id(), deadline);
    }

    @Override
    public void close() {
        closing = true;
        admin.close();
        destroyAll();
        disks.values().forEach(LossyDisk::close);
        network.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down
        }
    }

    private void destroyAll() {
        closing = true;
        for (Node n : nodes.values()) {
            Process p = n.process;
            if (p == null || !p.isAlive()) continue;
            n.expectedDown = true;
            try {
                if (n.paused) Signals.send(p.pid(), "CONT");
            } catch (IOException ignored) {
                // it is killed below anyway
            }
            p.destroyForcibly();
        }
        for (Node n : nodes.values()) {
            Process p = n.process;
            if (p == null) continue;
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        try {
            while (ports.size() < count) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                s.setReuseAddress(true);
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : sockets) s.close();
        }
        return sockets.stream().map(ServerSocket::getLocalPort).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A secure cluster's material: a development CA and node certificates (made by the server's own
     * {@code DevCertificateAuthority}, run as a process on the nodes' classpath, naming each node's host) and one access key.
     */
    record Security(Path dir, Path caFile, String accessKeyId, String secret) {
        static Security make(Path dir, List<NodeSpec> specs, Consumer<String> log) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-cp", classpath(), "io.pontoon.server.tls.DevCertificateAuthority", dir.toString()));
            specs.forEach(s -> cmd.add(s.id() + "=" + s.host()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException("making the development certificates failed: " + cmd);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while making certificates", e);
            }
            Security s = new Security(dir, dir.resolve("ca.pem"), "AKIACHAOSHARNESS001", "chaos-harness-secret-0001");
            Files.writeString(dir.resolve("keys.properties"), s.accessKeyId() + "=" + s.secret() + "\n");
            log.accept("secure cluster: TLS with a development CA in " + dir + ", auth.mode=sigv4 with key " + s.accessKeyId());
            return s;
        }

        List<String> nodeArgs(String nodeId) {
            return List.of("--tls.enabled=true", "--tls.cert.file=" + dir.resolve(nodeId + ".pem"), "--tls.key.file=" + dir.resolve(nodeId + "-key.pem"),
                    "--tls.ca.file=" + caFile, "--auth.mode=sigv4", "--auth.keys.file=" + dir.resolve("keys.properties"));
        }
    }
}
