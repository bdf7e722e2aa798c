package io.pontoon.server;

import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.partition.Tick;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.pontoon.core.CoreConfig;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.controller.ControllerStateMachine;
import io.pontoon.raft.GroupEvents;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.RaftNodeConfig;
import io.pontoon.raft.ReplicaApplication;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.config.ClockOffsetFile;
import io.pontoon.server.config.NodeConfig;
import io.pontoon.server.partition.ByteBudget;
import io.pontoon.server.partition.ControllerClient;
import io.pontoon.server.queue.ControllerPlacement;
import io.pontoon.server.stream.Streams;
import io.pontoon.server.audit.AuditInterceptor;
import io.pontoon.server.audit.AuditLog;
import io.pontoon.server.tls.GrpcTls;
import io.pontoon.server.tls.NodeCredentials;
import io.pontoon.server.topic.EnvelopeSigner;
import io.pontoon.server.topic.Topics;
import io.pontoon.server.bridge.TopicQueueTargets;
import io.pontoon.server.queue.QueueIngestor;
import io.pontoon.server.partition.GroupCommitter;
import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.server.queue.QueueService;
import io.pontoon.server.gateway.AwsFrontDoor;
import io.pontoon.server.gateway.LeaderRouting;
import io.pontoon.server.grpc.ClusterService;
import io.pontoon.server.queue.SqsService;
import io.pontoon.server.queue.LongPollWaiters;
import io.pontoon.server.metrics.BrokerMetrics;
import io.pontoon.server.metrics.MetricsHttpServer;
import io.pontoon.server.replica.ControllerReplica;
import io.pontoon.server.replica.PartitionReplica;
import io.pontoon.server.queue.OutboxForwarder;
import io.pontoon.server.redgate.AckWithoutReplication;
import io.pontoon.server.timers.LeaderTicker;
import io.pontoon.server.queue.QueueStatsPoller;
import io.pontoon.storage.rocksdb.RocksConfig;
import io.pontoon.storage.rocksdb.RocksResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One Pontoon node: a Ratis server hosting the controller and every partition group, RocksDB state, the
 * client gRPC endpoint, leader timers and metrics.
 *
 * <p>Lifecycle: {@link NodeState#STARTING} -> {@link NodeState#RUNNING} -> {@link NodeState#STOPPING}
 * -> {@link NodeState#STOPPED}; a fatal apply error moves it to {@link NodeState#FAILED} and calls the
 * fatal handler (the process halts in production).
 */
public final class BrokerNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerNode.class);
    private static final int MAX_TRACKED_QUEUES = 1_000;
    private static final int MAX_LONG_POLL_WAITERS = 100_000;
    private static final int STATS_POLL_INTERVAL_MS = 10_000;
    /** How often HTTP(S) endpoints are served and missed queue fan-outs picked up. */
    private static final int TOPIC_POLL_MS = 200;
    /** A group this node has led this long, whose preferred leader is another node, is handed back to it (PreferredLeaders). */
    private static final long PREFERRED_LEADER_STABLE_MS = 5_000;
    /** The least time between two hand-overs of one group (a preferred node that is down fails them). */
    private static final long PREFERRED_LEADER_RETRY_MS = 15_000;
    /** Commands one partition may queue on this node, whatever their size (their bytes are bounded apart). */
    private static final int MAX_QUEUED_PER_PARTITION = 50_000;

    /** Lifecycle of a node, exported as the {@code pontoon.node.state} gauge. */
    public enum NodeState { STARTING, RUNNING, STOPPING, STOPPED, FAILED }

    private static final long HEALTH_POLL_MS = 1_000;
    /** The services the health check answers for by name, besides the whole node (""). */
    private static final List<String> HEALTH_SERVICES = List.of(io.pontoon.api.v1.SqsGrpc.SERVICE_NAME, io.pontoon.api.v1.SnsGrpc.SERVICE_NAME,
            io.pontoon.api.v1.KinesisGrpc.SERVICE_NAME, io.pontoon.api.v1.ClusterGrpc.SERVICE_NAME);

    private final NodeConfig config;
    private final LongSupplier clockMs;
    private final ScheduledExecutorService timers;
    private final HealthStatusManager health = new HealthStatusManager();
    private final RocksResources rocks;
    private final BrokerMetrics metrics;
    private final LongPollWaiters waiters;
    private final RaftNode raft;
    private final ControllerClient controller;
    private final ControllerPlacement placement;
    /**
     * Set after Raft starts: replicas replay their logs from inside RaftNode.start, before this exists, and apply
     * observers must not fail then (an exception there halts the node). No subscription can exist before the node
     * serves, so entries replayed until then wake nobody.
     */
    private volatile Streams streams;
    private volatile Topics topics;
    /** Pushes of enhanced fan-out subscriptions (reads of this node's replicas); two threads, as for timers. */
    private final java.util.concurrent.ExecutorService streamPushes = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "pontoon-stream-push");
        t.setDaemon(true);
        return t;
    });
    /** Topic fan-out rounds and HTTP deliveries' callbacks; two threads (the HTTP client is asynchronous). */
    private final java.util.concurrent.ExecutorService topicWork = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "pontoon-topic-fanout");
        t.setDaemon(true);
        return t;
    });
    private final PartitionAccess partitions;
    private final LeaderTicker ticker;
    private final OutboxForwarder forwarder;
    private final Server grpc;
    /** The AWS HTTP gateway, or null when {@code gateway.port} is 0. */
    private final AwsFrontDoor gateway;
    private final java.util.concurrent.ExecutorService grpcExecutor = Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "pontoon-grpc");
                t.setDaemon(true);
                return t;
            });
    /** Blocking operator calls (digests, leadership transfers): a pool of their own, bounded, so they never hold up clients. */
    private final java.util.concurrent.ThreadPoolExecutor adminExecutor = new java.util.concurrent.ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(16), r -> {
                Thread t = new Thread(r, "pontoon-admin");
                t.setDaemon(true);
                return t;
            });
    private final Map<Integer, PartitionReplica> replicas = new java.util.concurrent.ConcurrentHashMap<>();
    private final MetricsHttpServer metricsHttp;
    /** Administrative calls and refused authentications ({@code <data.dir>/audit/}). */
    private final AuditLog audit;
    /** This node's TLS identity (tls.enabled), or null. */
    private final NodeCredentials credentials;
    private volatile NodeState state = NodeState.STARTING;

    private BrokerNode(NodeConfig config, Consumer<Throwable> fatalHandler) throws IOException {
        config.requireHeap(Runtime.getRuntime().maxMemory());
        this.config = config;
        // First (nothing to release yet), so a bad configured key or certificate stops the node at once (topic/SIGNING.md).
        EnvelopeSigner signer = EnvelopeSigner.open(config.dataDir(), config.snsSigningKeyFile(), config.snsSigningCertFile(),
                "pontoon-sns-" + config.nodeId(), EnvelopeSigner.certUrl(config.self().host(), config.metricsPort()));
        if (config.metricsPort() == 0) {
            LOG.info("SNS envelopes delivered by this node name SigningCertURL {}, but metrics.port is 0: this node does not serve "
                    + "its signing certificate there", signer.certUrl());
        }
        // Also first: a missing, mismatched or expired certificate stops the node before it opens a port.
        this.credentials = config.tls().isPresent() ? NodeCredentials.load(config.tls().get(), System.currentTimeMillis()) : null;
        this.audit = new AuditLog(config.dataDir().resolve("audit"), config.audit().maxFileBytes(), config.audit().maxFiles());
        ClockOffsetFile clockFile = config.testClockOffsetFile().map(ClockOffsetFile::new).orElse(null);
        this.clockMs = clockFile == null ? () -> System.currentTimeMillis() + config.clockOffsetMs()
                : () -> System.currentTimeMillis() + config.clockOffsetMs() + clockFile.offsetMs();
        this.timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "pontoon-timers");
            t.setDaemon(true);
            return t;
        });
        this.rocks = new RocksResources(new RocksConfig(config.rocksBlockCacheBytes(),
                Math.max(1L << 20, config.rocksWriteBufferBytes() / (4L * (config.partitions() + 1))),
                config.rocksWriteBufferBytes(), 2));
        this.metrics = new BrokerMetrics(MAX_TRACKED_QUEUES);
        this.waiters = new LongPollWaiters(timers, MAX_LONG_POLL_WAITERS);
        CoreConfig core = CoreConfig.DEFAULTS;
        ByteBudget requests = new ByteBudget("request bytes", config.requestBufferBytes());
        ByteBudget responses = new ByteBudget("response bytes", config.responseBufferBytes());

        List<ReplicaGroupId> groups = new ArrayList<>();
        groups.add(ReplicaGroupId.CONTROLLER);
        for (int p = 0; p < config.partitions(); p++) {
            groups.add(ReplicaGroupId.partition(p));
        }
        Path stateDir = config.dataDir().resolve("state");
        Files.createDirectories(stateDir);
        this.ticker = new LeaderTicker(config.tickIntervalMs(), this::tick);
        GroupEvents events = new GroupEvents() {
            @Override
            public void leadershipChanged(ReplicaGroupId group, boolean leader) {
                onLeadershipChanged(group, leader);
            }

            @Override
            public void fatal(ReplicaGroupId group, Throwable cause) {
                state = NodeState.FAILED;
                fatalHandler.accept(cause);
            }
        };
        this.raft = RaftNode.start(raftConfig(config), groups,
                g -> application(g, core, stateDir), events, clockMs,
                credentials().map(c -> new io.pontoon.raft.RaftTls(c.keyManager(), c.trustManager())));
        this.controller = new ControllerClient(raft, config.partitions(), requests);
        this.placement = new ControllerPlacement(controller);
        this.partitions = new PartitionAccess(raft, this::readReplica, config.partitions(), new GroupCommitter.Limits(
                config.groupCommitMaxCommands(), config.groupCommitMaxBytes(), config.groupCommitMaxInFlight(), MAX_QUEUED_PER_PARTITION,
                config.groupCommitMaxQueuedBytes()), requests, metrics::commitObserver);
        this.forwarder = new OutboxForwarder(placement, partitions, OutboxForwarder.roundBytesFor(config.groupCommitMaxBytes()), metrics, clockMs);
        QueueService queues = new QueueService(placement, partitions, waiters, clockMs, responses, timers, new QueueService.Settings(
                config.fifoShards(), config.maxInFlightPerQueue(), config.queueRecreateDelayMs(), config.longPollRecheckMs(),
                Math.max(5_000, config.requestTimeoutMs())));
        this.streams = new Streams(controller, partitions, responses, timers, streamPushes, clockMs, Math.max(5_000, config.requestTimeoutMs()),
                p -> raft.status(ReplicaGroupId.partition(p)).role() == io.pontoon.raft.GroupRole.LEADER, metrics);
        this.topics = new Topics(controller, partitions, new TopicQueueTargets(new QueueIngestor(placement, partitions)),
                new io.pontoon.server.bridge.TopicStreamTargets(streams), topicWork, clockMs,
                p -> raft.status(ReplicaGroupId.partition(p)).role() == io.pontoon.raft.GroupRole.LEADER,
                OutboxForwarder.roundBytesFor(config.groupCommitMaxBytes()) / 2, metrics, signer,
                new io.pontoon.server.topic.EnvelopeLinks(this::gatewayBaseUrl, config.identity()), metrics.deliveries(),
                config.identity().accountId());
        SqsService.Sends sends = queues::send;
        if (config.seededBug() == io.pontoon.server.config.SeededBug.ACK_WITHOUT_REPLICATION) {
            LOG.warn("TEST BUILD BEHAVIOUR: seeded bug {} is enabled; acknowledged messages will be lost", config.seededBug());
            sends = new AckWithoutReplication(sends);
        }
        metrics.bindGroups(raft, groups);
        metrics.bindLongPolls(waiters::count);
        metrics.bindBudgets(requests, responses);
        List<io.grpc.ServerServiceDefinition> services = io.pontoon.server.grpc.ArnTranslation.wrap(config.identity(), List.of(
                new SqsService(queues, sends, metrics, config.identity().accountId()), streams.service(), topics.service(),
                new ClusterService(config, raft, placement, adminExecutor, streams::routes, topics::route)));
        InetSocketAddress clientAddress = new InetSocketAddress(config.self().host(), config.self().clientPort());
        NettyServerBuilder grpcBuilder = credentials == null ? NettyServerBuilder.forAddress(clientAddress)
                : NettyServerBuilder.forAddress(clientAddress, GrpcTls.serverCredentials(credentials));
        // auth.mode=sigv4: the network port needs signed calls; the gateway's in-process server does not (it verified SigV4).
        // Every administrative call is audited once answered; with auth, refused calls are audited by the authenticator.
        io.pontoon.server.grpc.CallAuthenticator authenticator = config.authRequired()
                ? new io.pontoon.server.grpc.CallAuthenticator(config.accessKeys(), System::currentTimeMillis, audit) : null;
        AuditInterceptor auditing = new AuditInterceptor(audit, java.time.Instant::now, false);
        services.forEach(s -> grpcBuilder.addService(authenticator == null ? io.grpc.ServerInterceptors.intercept(s, auditing)
                : io.grpc.ServerInterceptors.intercept(s, auditing, authenticator)));
        // The standard gRPC health service (for load balancers and orchestrators) and server reflection (for grpcurl
        // and other tools that have no protos): on the client port, not through the AWS gateway.
        grpcBuilder.addService(health.getHealthService()).addService(ProtoReflectionServiceV1.newInstance());
        this.grpc = grpcBuilder
                // A request must fit in a log entry, except PutRecords: up to 5 MiB of records (plus their keys and
                // framing), which the stream service cuts into commands of ~1 MiB before they reach the log.
                .maxInboundMessageSize(Math.max(config.maxEntryBytes(), io.pontoon.core.Limits.MAX_PUT_RECORDS_BYTES + (512 << 10)))
                // Handlers never block (they chain futures), so a small fixed pool serves any number of calls.
                .executor(grpcExecutor)
                .build()
                .start();
        this.gateway = config.gateway().isPresent() ? AwsFrontDoor.start(config.gateway().get(), services, config.identity().accountId(), grpcExecutor,
                new LeaderRouting(config.nodeId(), config.members(), placement::shards, topics::partitionOf, streams::topology,
                        this::partitionLeader, credentials == null ? io.grpc.InsecureChannelCredentials.create()
                                : GrpcTls.nodeChannelCredentials(credentials), nodeSigner(config)),
                credentials().map(NodeCredentials::keyManager), audit) : null;
        this.metricsHttp = config.metricsPort() > 0 ? new MetricsHttpServer(config.self().host(), config.metricsPort(), metrics, this::ready,
                signer.certificatePem()) : null;
        QueueStatsPoller statsPoller = new QueueStatsPoller(partitions, metrics, raft, STATS_POLL_INTERVAL_MS);
        long pollEveryMs = Math.max(10, config.tickIntervalMs() / 4);
        timers.scheduleWithFixedDelay(() -> safely(() -> ticker.poll(clockMs.getAsLong())), pollEveryMs, pollEveryMs, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(() -> safely(() -> statsPoller.poll(clockMs.getAsLong())), 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(() -> safely(this::reportHealth), 0, HEALTH_POLL_MS, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(() -> safely(topics::poll), TOPIC_POLL_MS, TOPIC_POLL_MS, TimeUnit.MILLISECONDS);
        io.pontoon.raft.PreferredLeaders preferredLeaders = new io.pontoon.raft.PreferredLeaders(raft, PREFERRED_LEADER_STABLE_MS,
                PREFERRED_LEADER_RETRY_MS, config.electionTimeoutMaxMs(), config.electionTimeoutMinMs(), adminExecutor);
        timers.scheduleWithFixedDelay(() -> safely(() -> preferredLeaders.poll(System.nanoTime() / 1_000_000)), 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(() -> safely(() -> streams.poll(clockMs.getAsLong(),
                raft.status(ReplicaGroupId.CONTROLLER).role() == io.pontoon.raft.GroupRole.LEADER)), 1, 1, TimeUnit.SECONDS);
        if (credentials != null) {
            long everyMs = Math.min(1_000, config.tls().get().reloadIntervalMs());
            timers.scheduleWithFixedDelay(() -> safely(() -> credentials.poll(System.currentTimeMillis())), everyMs, everyMs, TimeUnit.MILLISECONDS);
        }
        if (clockFile != null) {
            LOG.warn("TEST BUILD BEHAVIOUR: this node's clock follows the offset in {}", config.testClockOffsetFile().get());
            clockFile.poll();
            timers.scheduleWithFixedDelay(() -> safely(clockFile::poll), 100, 100, TimeUnit.MILLISECONDS);
        }
        if (!config.authRequired()) {
            LOG.warn("client port {} accepts UNAUTHENTICATED calls (auth.mode=none): anyone who reaches it can read, send and delete "
                    + "every message. Set auth.mode=sigv4 and auth.keys.file outside development.", config.self().clientAddress());
        }
        state = NodeState.RUNNING;
        LOG.info("node {} running: client {}, raft {}:{}, {} partitions, data {}", config.nodeId(),
                config.self().clientAddress(), config.self().host(), config.self().raftPort(), config.partitions(), config.dataDir());
    }

    public static BrokerNode start(NodeConfig config, Consumer<Throwable> fatalHandler) throws IOException {
        return new BrokerNode(config, fatalHandler);
    }

    private ReplicaApplication application(ReplicaGroupId g, CoreConfig core, Path stateDir) {
        Path dir = stateDir.resolve(g.toString());
        if (g.kind() == ReplicaGroupId.Kind.CONTROLLER) {
            return new ControllerReplica(new ControllerStateMachine(), dir, rocks);
        }
        PartitionReplica replica = new PartitionReplica(g.number(), new PartitionStateMachine(g.number(), core), dir, rocks, this::onApplied);
        replicas.put(g.number(), replica);
        return replica;
    }

    /** Typed reads of this node's replicas, for message content (see PartitionAccess.LocalState). */
    private <T> T readReplica(int partition, java.util.function.Function<io.pontoon.core.partition.StoreView, T> reader) {
        PartitionReplica replica = replicas.get(partition);
        if (replica == null) {
            throw new IllegalStateException("partition " + partition + " is not open on this node yet");
        }
        return replica.read(reader);
    }

    /** Wakes long polls whose queue may have become receivable, and counts per-queue traffic. */
    private void onApplied(int partition, List<PartitionCommand> commands, List<PartitionResult> results, long applyNanos) {
        metrics.applyTime(partition, applyNanos);
        for (PartitionCommand c : commands) {
            if (c instanceof QueueCommand.SendMessages s) {
                waiters.signal(s.queueName());
            } else if (c instanceof QueueCommand.ChangeMessageVisibility v) {
                waiters.signal(v.queueName());
            } else if (c instanceof QueueCommand.DeleteMessages d) {
                waiters.signal(d.queueName()); // on a FIFO queue a delete may unlock a group
            } else if (c instanceof QueueCommand.IngestMessages in) {
                in.messages().stream().map(QueueCommand.MovedMessage::queueName).distinct().forEach(waiters::signal);
            }
        }
        Streams streams = this.streams;
        if (streams != null) {
            streams.applied(commands);
        }
        Topics topics = this.topics;
        if (topics != null) {
            topics.applied(partition, commands);
        }
        metrics.applied(commands, results);
    }

    private void onLeadershipChanged(ReplicaGroupId group, boolean leader) {
        ticker.leadershipChanged(tickKey(group), leader, clockMs.getAsLong());
        if (group.kind() == ReplicaGroupId.Kind.CONTROLLER && leader) {
            timers.execute(() -> controller.initialize().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.error("controller initialization failed", e);
                }
            }));
        }
    }

    /** The ticker's key for a group: partitions by number, the controller as -1. */
    private static int tickKey(ReplicaGroupId group) {
        return group.kind() == ReplicaGroupId.Kind.CONTROLLER ? -1 : group.number();
    }

    private CompletableFuture<?> tick(int key) {
        // After a partition's Tick (which may have moved messages into its outbox), deliver its outbox.
        return key < 0 ? controller.tick()
                : partitions.submit(key, new Tick()).thenCompose(r -> forwarder.forward(key));
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("timer task failed", e);
        }
    }

    /** The Raft side of a node configuration. */
    public static RaftNodeConfig raftConfig(NodeConfig c) {
        return new RaftNodeConfig(c.nodeId(), c.dataDir().resolve("raft"),
                c.members().stream().map(m -> new RaftNodeConfig.Peer(m.nodeId(), m.host(), m.raftPort())).toList(), c.raftListenPort(),
                c.electionTimeoutMinMs(), c.electionTimeoutMaxMs(), c.requestTimeoutMs(), c.snapshotThresholdEntries(),
                c.maxEntryBytes(), c.logSegmentBytes(), c.logCacheBytes(), c.logPurgeGap(), c.purgeUptoSnapshot());
    }

    /**
     * How this node signs the calls it makes to other nodes' client ports for its gateway (auth.mode=sigv4): with the
     * first of its access keys, which every node shares; null without auth.
     */
    private static io.grpc.ClientInterceptor nodeSigner(NodeConfig config) {
        if (!config.authRequired()) {
            return null;
        }
        String id = new java.util.TreeSet<>(config.accessKeys().keySet()).first();
        return new io.pontoon.api.auth.SigningInterceptor(id, config.accessKeys().get(id), config.identity().region());
    }

    /** This node's TLS identity when tls.enabled, for tests and the admin API. */
    public java.util.Optional<NodeCredentials> credentials() {
        return java.util.Optional.ofNullable(credentials);
    }

    public NodeConfig config() {
        return config;
    }

    public NodeState state() {
        return state;
    }

    public RaftNode raft() {
        return raft;
    }

    public int clientPort() {
        return grpc.getPort();
    }

    /** This node's AWS gateway as subscribers reach it (the advertised URL, else host and port), or null without one. */
    private String gatewayBaseUrl() {
        AwsFrontDoor door = gateway;
        if (door == null || config.gateway().isEmpty()) {
            return null;
        }
        return config.gateway().get().advertisedUrl().orElse("http://" + config.self().host() + ":" + door.port());
    }

    /** The node this node last heard lead partition {@code p}, or null. */
    private String partitionLeader(int p) {
        try {
            return raft.status(ReplicaGroupId.partition(p)).leaderNodeId();
        } catch (RuntimeException notHostedOrClosing) {
            return null;
        }
    }

    /** The port of the AWS HTTP gateway; empty when it is off. */
    public java.util.OptionalInt gatewayPort() {
        return gateway == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(gateway.port());
    }

    /**
     * The health service's answer, for the whole node ("") and each Pontoon service: SERVING once this node is
     * running and every group it hosts has a leader ({@link #ready()}), NOT_SERVING otherwise.
     */
    private void reportHealth() {
        HealthCheckResponse.ServingStatus status = ready() ? HealthCheckResponse.ServingStatus.SERVING : HealthCheckResponse.ServingStatus.NOT_SERVING;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        for (String service : HEALTH_SERVICES) {
            health.setStatus(service, status);
        }
    }

    /** True once this node knows a leader for the controller and for every partition. */
    public boolean ready() {
        if (state != NodeState.RUNNING) {
            return false;
        }
        for (int p = -1; p < config.partitions(); p++) {
            ReplicaGroupId g = p < 0 ? ReplicaGroupId.CONTROLLER : ReplicaGroupId.partition(p);
            if (raft.status(g).leaderNodeId() == null) {
                return false;
            }
        }
        return true;
    }

    /** Receives parked on this node waiting for a message (no log writes while parked). */
    public int parkedLongPolls() {
        return waiters.count();
    }

    public String scrapeMetrics() {
        return metrics.scrape();
    }

    @Override
    public void close() {
        state = NodeState.STOPPING;
        long startNs = System.nanoTime();
        LOG.info("{}: stopping", config.nodeId());
        if (gateway != null) {
            gateway.close();
        }
        health.enterTerminalState(); // NOT_SERVING to every watcher before the port closes
        grpc.shutdownNow();
        try {
            grpc.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("{}: client API closed after {} ms", config.nodeId(), msSince(startNs));
        if (metricsHttp != null) {
            metricsHttp.close();
        }
        timers.shutdownNow();
        grpcExecutor.shutdownNow();
        streamPushes.shutdownNow();
        if (topics != null) {
            topics.close();
        }
        topicWork.shutdownNow();
        adminExecutor.shutdownNow();
        LOG.info("{}: closing Raft after {} ms", config.nodeId(), msSince(startNs));
        raft.close();
        rocks.close();
        audit.close();
        state = NodeState.STOPPED;
        LOG.info("{}: stopped after {} ms", config.nodeId(), msSince(startNs));
    }

    private static long msSince(long startNs) {
        return (System.nanoTime() - startNs) / 1_000_000;
    }
}
