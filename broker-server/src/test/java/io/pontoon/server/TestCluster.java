package io.pontoon.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pontoon.api.v1.SqsGrpc;
import io.pontoon.raft.GroupRole;
import io.pontoon.raft.GroupStatus;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.config.ConfigLoader;
import io.pontoon.server.config.NodeConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real cluster in one JVM for integration tests: N {@link BrokerNode}s with real Ratis (gRPC on
 * loopback), real RocksDB in a temp dir and the real client gRPC endpoint. Nodes can be stopped,
 * restarted and have their data wiped.
 */
public final class TestCluster implements AutoCloseable {
    private final Path root;
    private final List<NodeConfig.Member> members = new ArrayList<>();
    private final Map<String, BrokerNode> running = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Properties base;
    /** Each node's AWS gateway port, the same across restarts. */
    private final Map<String, Integer> gatewayPorts = new ConcurrentHashMap<>();
    /** Fatal apply errors seen by any node: a test fails if this is not empty. */
    public final List<Throwable> fatalErrors = new CopyOnWriteArrayList<>();

    public TestCluster(Path root, int nodes, int partitions, Map<String, String> overrides) throws IOException {
        this.root = root;
        List<Integer> ports = freePorts(3 * nodes);
        for (int i = 1; i <= nodes; i++) {
            members.add(new NodeConfig.Member("n" + i, "127.0.0.1", ports.get(3 * i - 3), ports.get(3 * i - 2)));
            gatewayPorts.put("n" + i, ports.get(3 * i - 1));
        }
        base = new Properties();
        base.setProperty("partitions", String.valueOf(partitions));
        base.setProperty("raft.election.timeout.min.ms", "500");
        base.setProperty("raft.election.timeout.max.ms", "1000");
        base.setProperty("rocksdb.block.cache.bytes", String.valueOf(96L << 20));
        base.setProperty("rocksdb.write.buffer.bytes", String.valueOf(48L << 20));
        base.setProperty("tick.interval.ms", "200");
        base.setProperty("long.poll.recheck.ms", "200");
        overrides.forEach(base::setProperty);
        StringBuilder peers = new StringBuilder();
        for (NodeConfig.Member m : members) {
            peers.append(peers.isEmpty() ? "" : ",").append(m.nodeId()).append('@').append(m.host())
                    .append(':').append(m.raftPort()).append(':').append(m.clientPort());
        }
        base.setProperty("peers", peers.toString());
        for (NodeConfig.Member m : members) {
            start(m.nodeId());
        }
    }

    public static TestCluster start(Path root, int nodes, int partitions) throws IOException {
        return new TestCluster(root, nodes, partitions, Map.of());
    }

    public NodeConfig config(String nodeId) {
        Properties p = new Properties();
        p.putAll(base);
        p.setProperty("node.id", nodeId);
        p.setProperty("data.dir", root.resolve(nodeId).toString());
        p.putIfAbsent("gateway.port", String.valueOf(gatewayPorts.get(nodeId)));
        if (tls()) {
            p.setProperty("tls.cert.file", tlsDir(nodeId).resolve("cert.pem").toString());
            p.setProperty("tls.key.file", tlsDir(nodeId).resolve("key.pem").toString());
            p.setProperty("tls.ca.file", tlsDir(nodeId).resolve("ca.pem").toString());
        }
        return ConfigLoader.fromProperties(p);
    }

    /** With {@code tls.enabled=true}, each node reads {@code cert.pem}, {@code key.pem} and {@code ca.pem} from here. */
    public Path tlsDir(String nodeId) {
        return root.resolve("tls").resolve(nodeId);
    }

    private boolean tls() {
        return Boolean.parseBoolean(base.getProperty("tls.enabled", "false"));
    }

    public BrokerNode start(String nodeId) throws IOException {
        BrokerNode node = BrokerNode.start(config(nodeId), fatalErrors::add);
        running.put(nodeId, node);
        return node;
    }

    /** Stops a node abruptly from the cluster's point of view (its process would be gone). */
    public void stop(String nodeId) {
        BrokerNode node = running.remove(nodeId);
        ManagedChannel ch = channels.remove(nodeId);
        if (ch != null) {
            ch.shutdownNow();
        }
        if (node != null) {
            node.close();
        }
    }

    /** Starts again every node that was stopped, so that a cluster shared by several tests is whole for the next. */
    public void restartStopped() throws IOException {
        for (String id : allNodes()) {
            if (!running.containsKey(id)) {
                start(id);
            }
        }
    }

    /** Deletes everything the node had on disk (Raft log, snapshots, RocksDB). The node must be stopped. */
    public void wipe(String nodeId) throws IOException {
        if (running.containsKey(nodeId)) {
            throw new IllegalStateException(nodeId + " is running");
        }
        deleteRecursively(root.resolve(nodeId));
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BrokerNode node(String nodeId) {
        return running.get(nodeId);
    }

    public List<String> runningNodes() {
        return members.stream().map(NodeConfig.Member::nodeId).filter(running::containsKey).toList();
    }

    public List<String> allNodes() {
        return members.stream().map(NodeConfig.Member::nodeId).toList();
    }

    /** The endpoint an AWS SDK client of this node's gateway is given. */
    public java.net.URI gatewayUri(String nodeId) {
        return java.net.URI.create("http://127.0.0.1:" + gatewayPorts.get(nodeId));
    }

    public String clientAddress(String nodeId) {
        return members.stream().filter(m -> m.nodeId().equals(nodeId)).findFirst().orElseThrow().clientAddress();
    }

    public SqsGrpc.SqsBlockingStub sqs(String nodeId) {
        return SqsGrpc.newBlockingStub(channel(nodeId));
    }

    public io.pontoon.api.v1.KinesisGrpc.KinesisBlockingStub kinesis(String nodeId) {
        return io.pontoon.api.v1.KinesisGrpc.newBlockingStub(channel(nodeId));
    }

    public io.pontoon.api.v1.KinesisGrpc.KinesisStub kinesisAsync(String nodeId) {
        return io.pontoon.api.v1.KinesisGrpc.newStub(channel(nodeId));
    }

    public io.pontoon.api.v1.SnsGrpc.SnsBlockingStub sns(String nodeId) {
        return io.pontoon.api.v1.SnsGrpc.newBlockingStub(channel(nodeId));
    }

    public io.pontoon.api.v1.ClusterGrpc.ClusterBlockingStub clusterStub(String nodeId) {
        return io.pontoon.api.v1.ClusterGrpc.newBlockingStub(channel(nodeId));
    }

    public ManagedChannel channel(String nodeId) {
        return channels.computeIfAbsent(nodeId, id -> NettyChannelBuilder.forTarget(clientAddress(id), credentials(id))
                .maxInboundMessageSize(16 << 20).build());
    }

    /** Plaintext, or with TLS on, trusting the CA the node trusts. */
    private io.grpc.ChannelCredentials credentials(String nodeId) {
        if (!tls()) {
            return io.grpc.InsecureChannelCredentials.create();
        }
        try {
            return io.grpc.TlsChannelCredentials.newBuilder().trustManager(tlsDir(nodeId).resolve("ca.pem").toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node currently leading {@code group}, as seen by any running node. */
    public Optional<String> leaderOf(ReplicaGroupId group) {
        for (BrokerNode n : running.values()) {
            GroupStatus s = n.raft().status(group);
            if (s.role() == GroupRole.LEADER && running.containsKey(n.config().nodeId())) {
                return Optional.of(n.config().nodeId());
            }
        }
        return Optional.empty();
    }

    /**
     * Every running node's view of every group (role, leader, term, commit and applied index), for the message of
     * a test that gave up waiting on the cluster: it says whether there was no leader, or a leader that did not apply.
     */
    public String describeGroups() {
        StringBuilder out = new StringBuilder();
        for (String id : runningNodes()) {
            BrokerNode n = running.get(id);
            for (ReplicaGroupId g : n.raft().groups()) {
                GroupStatus s = n.raft().status(g);
                out.append(String.format("%n  %s %s: %s leader=%s term=%d commit=%d applied=%d", id, g, s.role(), s.leaderNodeId(),
                        s.term(), s.commitIndex(), s.appliedIndex()));
            }
        }
        return out.toString();
    }

    /**
     * Waits until every group has a leader among the running nodes and every running replica of every group holds
     * entries. The second matters to any test that then kills a leader: Ratis does not count the vote of a replica
     * whose log is empty once the group has committed entries (RATIS-1995, so that a wiped disk cannot elect a stale
     * leader), so a replica that started late and has not been sent anything yet cannot help elect the next leader,
     * and the group would stay without one until the killed node returns.
     */
    public void awaitLeaders(int partitions, long timeoutMs) {
        List<ReplicaGroupId> groups = new ArrayList<>();
        groups.add(ReplicaGroupId.CONTROLLER);
        java.util.stream.IntStream.range(0, partitions).forEach(p -> groups.add(ReplicaGroupId.partition(p)));
        await(() -> groups.stream().allMatch(g -> leaderOf(g).isPresent()
                        && running.values().stream().allMatch(n -> n.raft().status(g).appliedIndex() >= 0)),
                timeoutMs, "every group to elect a leader and every replica to hold entries", this::describeGroups);
    }

    public static void await(BooleanSupplier condition, long timeoutMs, String what) {
        await(condition, timeoutMs, what, () -> "");
    }

    /** As {@link #await(BooleanSupplier, long, String)}; a timeout's message ends with what {@code state} says then. */
    public static void await(BooleanSupplier condition, long timeoutMs, String what, java.util.function.Supplier<String> state) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + state.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /**
     * Distinct free ports: every probe socket stays open until all are chosen, so the OS cannot hand the
     * same port out twice (probing one at a time could, and once gave two nodes the same endpoint).
     */
    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket cannot lose anything
                }
            }
        }
    }

    @Override
    public void close() {
        for (String id : List.copyOf(running.keySet())) {
            stop(id);
        }
    }
}
