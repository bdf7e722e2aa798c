package io.pontoon.embedded;

import io.pontoon.client.PontoonClient;
import io.pontoon.server.BrokerNode;
import io.pontoon.server.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Pontoon inside the caller's JVM: one node, or a three-node cluster, each a real {@link BrokerNode} (Raft, RocksDB,
 * gRPC and the AWS gateway on ephemeral loopback ports) with its data in a temporary directory that
 * {@link #close()} removes. Nothing here is test-only behaviour in the server: these are the nodes a deployment runs,
 * configured for a laptop (small caches, quick elections, queue names free again as soon as a queue is deleted).
 *
 * <pre>{@code
 * try (EmbeddedPontoon pontoon = EmbeddedPontoon.builder().start()) {
 *     String url = pontoon.client().createQueue("orders");
 *     pontoon.client().sendMessage(url, "hello");
 *     URI aws = pontoon.awsEndpoint(); // for SqsClient.builder().endpointOverride(aws)
 * }
 * }</pre>
 */
public final class EmbeddedPontoon implements AutoCloseable {
    private static final long READY_TIMEOUT_MS = 60_000;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final List<BrokerNode> nodes;
    private final List<String> clientEndpoints;
    private final List<URI> awsEndpoints;
    private final List<Throwable> fatalErrors;
    private final java.util.Optional<Path> tlsCaFile;
    private PontoonClient client;

    private EmbeddedPontoon(Path dataDir, boolean ownsDataDir, List<BrokerNode> nodes, List<Throwable> fatalErrors,
                            java.util.Optional<Path> tlsCaFile) {
        this.dataDir = dataDir;
        this.tlsCaFile = tlsCaFile;
        this.ownsDataDir = ownsDataDir;
        this.nodes = List.copyOf(nodes);
        this.fatalErrors = fatalErrors;
        this.clientEndpoints = nodes.stream().map(n -> "127.0.0.1:" + n.clientPort()).toList();
        this.awsEndpoints = nodes.stream().map(n -> URI.create((tlsCaFile.isPresent() ? "https" : "http") + "://127.0.0.1:" + n.gatewayPort().orElseThrow())).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The gRPC client endpoints, {@code host:port}, one per node. */
    public List<String> clientEndpoints() {
        return clientEndpoints;
    }

    /** The first node's AWS gateway (SQS, SNS, Kinesis over HTTP), for an AWS SDK client's {@code endpointOverride}. */
    public URI awsEndpoint() {
        return awsEndpoints.get(0);
    }

    public List<URI> awsEndpoints() {
        return awsEndpoints;
    }

    /**
     * A Pontoon client bootstrapped from every node, made on first use and closed with this; it trusts the CA of
     * {@link Builder#tls()} and signs with the first key of {@code auth.keys.file} when {@code auth.mode=sigv4}.
     */
    public synchronized PontoonClient client() {
        if (client == null) {
            // With auth.mode=sigv4 the client signs with the first access key the nodes were given.
            var keys = nodes.get(0).config().accessKeys();
            String keyId = keys.isEmpty() ? null : new java.util.TreeSet<>(keys.keySet()).first();
            client = PontoonClient.builder().bootstrap(clientEndpoints).tlsTrust(tlsCaFile.orElse(null))
                    .credentials(keyId, keyId == null ? null : keys.get(keyId)).build();
        }
        return client;
    }

    /** With {@link Builder#tls()}: the development CA certificate (PEM) that clients must trust. */
    public java.util.Optional<Path> tlsCaFile() {
        return tlsCaFile;
    }

    /** Where the nodes keep their data (one directory per node). */
    public Path dataDir() {
        return dataDir;
    }

    public int nodeCount() {
        return nodes.size();
    }

    /**
     * Deletes every queue, topic and stream, for a clean state between tests without a restart; returns once the
     * names are free again.
     */
    public void reset() {
        new Reset(client()).run();
    }

    /** Fatal errors a node reported (an apply that failed halts its replica): a test should see none. */
    public List<Throwable> fatalErrors() {
        return List.copyOf(fatalErrors);
    }

    /** Stops every node and deletes the data directory (when this made it). */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    /** How the nodes are made. Every setting has a default; {@link #start()} starts them and waits until they are ready. */
    public static final class Builder {
        private int nodes = 1;
        private int partitions = 2;
        private Path dataDir;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private boolean tls;

        private Builder() {
        }

        /**
         * TLS on every port, as {@code tls.enabled} gives a deployed cluster: a development CA and node certificates
         * are made in the data directory ({@code tls/}), {@link #client()} trusts that CA, {@link #awsEndpoint()} is
         * https, and the nodes talk to each other over mutual TLS.
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** 1 (the default) or 3: a three-node cluster replicates every write to the three. */
        public Builder nodes(int nodes) {
            if (nodes != 1 && nodes != 3) {
                throw new IllegalArgumentException("an embedded Pontoon has 1 or 3 nodes, not " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** Raft groups that hold queues, topics and streams (default 2). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Where the nodes keep their data (default: a new temporary directory, removed by close). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Any node setting of docs/configuration.md, e.g. {@code property("auth.mode", "sigv4")}. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public EmbeddedPontoon start() {
            boolean owns = dataDir == null;
            Path root;
            try {
                root = owns ? Files.createTempDirectory("pontoon-embedded-") : Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the data directory", e);
            }
            List<Throwable> fatal = new CopyOnWriteArrayList<>();
            List<BrokerNode> started = new ArrayList<>();
            try {
                List<Properties> configs = configs(root);
                java.util.Optional<Path> ca = tls ? java.util.Optional.of(makeCertificates(root, configs)) : java.util.Optional.empty();
                for (Properties p : configs) {
                    started.add(BrokerNode.start(ConfigLoader.fromProperties(p), fatal::add));
                }
                awaitReady(started);
                return new EmbeddedPontoon(root, owns, started, fatal, ca);
            } catch (IOException | RuntimeException e) {
                started.forEach(BrokerNode::close);
                if (owns) {
                    deleteRecursively(root);
                }
                throw e instanceof RuntimeException r ? r : new UncheckedIOException("an embedded node did not start", (IOException) e);
            }
        }

        /** A development CA and a certificate per node under {@code root/tls}; returns the CA certificate's file. */
        private static Path makeCertificates(Path root, List<Properties> configs) throws IOException {
            Path dir = root.resolve("tls");
            io.pontoon.server.tls.DevCertificateAuthority ca = io.pontoon.server.tls.DevCertificateAuthority.create("Pontoon embedded CA");
            ca.write(dir);
            for (Properties p : configs) {
                String node = p.getProperty("node.id");
                ca.issue(node, List.of("localhost", "127.0.0.1")).write(dir, node);
                p.setProperty("tls.enabled", "true");
                p.setProperty("tls.cert.file", dir.resolve(node + ".pem").toString());
                p.setProperty("tls.key.file", dir.resolve(node + "-key.pem").toString());
                p.setProperty("tls.ca.file", dir.resolve("ca.pem").toString());
            }
            return dir.resolve("ca.pem");
        }

        private List<Properties> configs(Path root) throws IOException {
            List<Integer> ports = freePorts(3 * nodes);
            StringBuilder peers = new StringBuilder();
            for (int i = 0; i < nodes; i++) {
                peers.append(i == 0 ? "" : ",").append("n").append(i + 1).append("@127.0.0.1:")
                        .append(ports.get(3 * i)).append(':').append(ports.get(3 * i + 1));
            }
            List<Properties> out = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                Properties p = new Properties();
                p.setProperty("partitions", String.valueOf(partitions));
                p.setProperty("peers", peers.toString());
                p.setProperty("node.id", "n" + (i + 1));
                p.setProperty("data.dir", root.resolve("n" + (i + 1)).toString());
                p.setProperty("gateway.port", String.valueOf(ports.get(3 * i + 2)));
                // A laptop's settings: quick first elections, small caches, names reusable at once.
                p.setProperty("raft.election.timeout.min.ms", "300");
                p.setProperty("raft.election.timeout.max.ms", "600");
                p.setProperty("rocksdb.block.cache.bytes", String.valueOf(16L << 20));
                p.setProperty("rocksdb.write.buffer.bytes", String.valueOf(8L << 20));
                p.setProperty("queue.recreate.delay.ms", "0");
                properties.forEach(p::setProperty);
                out.add(p);
            }
            return out;
        }
    }

    private static void awaitReady(List<BrokerNode> nodes) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (!nodes.stream().allMatch(BrokerNode::ready)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the embedded nodes elected no leader for every partition within " + READY_TIMEOUT_MS + " ms");
            }
            try {
                Thread.sleep(10); // a start-up wait on the nodes' own readiness, not a test's sleep
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the embedded nodes started", e);
            }
        }
    }

    /** Ports that were free a moment ago (held together, so that they are distinct). */
    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0);
                s.setReuseAddress(true);
                sockets.add(s);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
