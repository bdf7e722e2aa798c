package io.pontoon.raft;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One node's Raft side: a single Ratis {@link RaftServer} hosting every group of the cluster (the controller
 * and all partitions), plus the way in for writes and reads. Callers name groups with {@link ReplicaGroupId}
 * and exchange bytes; nothing Ratis-specific leaks out of this module.
 *
 * <p>Writes go straight into the local division when it leads (no extra hop) and otherwise through a
 * Ratis client, which finds the leader and retries with bounded exponential backoff.
 */
public final class RaftNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

    private final RaftNodeConfig config;
    private final RaftServer server;
    private final RaftPeerId selfId;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final RaftProperties clientProperties;
    private final java.util.Optional<RaftTls> tls;
    /** How long a request waits before it is sent again while its group's leadership moves. */
    private static final long TRANSFER_RETRY_MS = 50;
    private final Map<ReplicaGroupId, RaftGroup> groups = new ConcurrentHashMap<>();
    private final Map<ReplicaGroupId, PontoonStateMachine> machines;
    private final Map<ReplicaGroupId, RaftClient> clients = new ConcurrentHashMap<>();
    private final RepliedCallIds replied = new RepliedCallIds();
    /**
     * Callers' continuations run here, never on Ratis's threads: a caller that proposes again from a
     * completion (a woken long poll, the next group-commit batch) must not run on the apply thread.
     */
    private static final int FORWARDER_THREADS = 64;

    private final ExecutorService callbacks = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemonThreads("pontoon-raft-callback"));
    /**
     * Threads blocked on forwarded requests and linearizable reads; bounded, with a bounded queue. Core size
     * equals the maximum: a ThreadPoolExecutor only grows past its core size when its queue is full, so a
     * smaller core would serve everything with the core threads (it did: 4, which capped forwarded writes).
     */
    private final ExecutorService forwarders = forwarderPool();

    private static ExecutorService forwarderPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(FORWARDER_THREADS, FORWARDER_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), daemonThreads("pontoon-raft-forward"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private RaftNode(RaftNodeConfig config, RaftServer server, RaftProperties clientProperties,
                     Map<ReplicaGroupId, PontoonStateMachine> machines, java.util.Optional<RaftTls> tls) {
        this.config = config;
        this.tls = tls;
        this.server = server;
        this.machines = machines;
        this.selfId = RaftPeerId.valueOf(config.nodeId());
        this.clientProperties = clientProperties;
    }

    /**
     * Starts the server and makes sure every group in {@code wanted} exists on this node (groups already on
     * disk are recovered by Ratis; missing ones are created empty and catch up from their leader).
     *
     * @param clockMs the leader clock stamped into commands; a seam for clock-skew tests
     */
    public static RaftNode start(RaftNodeConfig config, List<ReplicaGroupId> wanted,
                                 Function<ReplicaGroupId, ReplicaApplication> applications,
                                 GroupEvents events, LongSupplier clockMs) throws IOException {
        return start(config, wanted, applications, events, clockMs, java.util.Optional.empty());
    }

    /** As above; with {@code tls}, every Raft connection of this node (server and client ends) uses mutual TLS. */
    public static RaftNode start(RaftNodeConfig config, List<ReplicaGroupId> wanted,
                                 Function<ReplicaGroupId, ReplicaApplication> applications,
                                 GroupEvents events, LongSupplier clockMs, java.util.Optional<RaftTls> tls) throws IOException {
        RaftProperties props = serverProperties(config);
        Map<ReplicaGroupId, PontoonStateMachine> machines = new ConcurrentHashMap<>();
        Map<RaftGroupId, ReplicaGroupId> byRatisId = new ConcurrentHashMap<>();
        for (ReplicaGroupId g : wanted) {
            byRatisId.put(RaftGroupId.valueOf(g.uuid()), g);
        }
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(config.nodeId()))
                .setProperties(props)
                .setParameters(tls.map(RaftTls::parameters).orElseGet(Parameters::new))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .setStateMachineRegistry(ratisId -> {
                    ReplicaGroupId g = byRatisId.get(ratisId);
                    if (g == null) {
                        throw new IllegalStateException("unknown group " + ratisId + " on disk");
                    }
                    return machines.computeIfAbsent(g, k -> new PontoonStateMachine(k, applications.apply(k), clockMs, events));
                })
                .build();
        // Ratis creates state machines lazily (on start, on group add); the node reads the same map.
        RaftNode node = new RaftNode(config, server, clientProperties(config), machines, tls);
        server.start();
        node.addMissingGroups(wanted);
        return node;
    }

    private void addMissingGroups(List<ReplicaGroupId> wanted) throws IOException {
        Set<RaftGroupId> present = new HashSet<>();
        server.getGroupIds().forEach(present::add);
        for (ReplicaGroupId g : wanted) {
            RaftGroup group = raftGroup(g);
            groups.put(g, group);
            if (!present.contains(group.getGroupId())) {
                RaftClientReply reply = server.groupManagement(
                        GroupManagementRequest.newAdd(clientId, selfId, callIds.incrementAndGet(), group, true));
                if (!reply.isSuccess()) {
                    throw new IOException("could not add group " + g + ": " + reply.getException());
                }
                LOG.info("created group {} ({})", g, group.getGroupId());
            }
        }
    }

    /** The group's members; the node at {@code number mod n} gets the higher priority, spreading leaders. */
    private RaftGroup raftGroup(ReplicaGroupId g) {
        List<RaftNodeConfig.Peer> peers = config.peers();
        String preferred = peers.get(Math.floorMod(g.number(), peers.size())).nodeId();
        return RaftGroup.valueOf(RaftGroupId.valueOf(g.uuid()), members(preferred));
    }

    /** Every peer, with priority 1 for {@code preferredNodeId} and 0 for the others. */
    private List<RaftPeer> members(String preferredNodeId) {
        return config.peers().stream().map(p -> RaftPeer.newBuilder().setId(p.nodeId()).setAddress(p.address())
                .setPriority(p.nodeId().equals(preferredNodeId) ? 1 : 0).build()).toList();
    }

    /**
     * Replicates {@code command} in {@code group} and returns the application's reply, with the entry's log index,
     * once applied on the leader.
     */
    public CompletableFuture<Committed> submit(ReplicaGroupId group, byte[] command) {
        return submitOnRatisThreads(group, command).whenCompleteAsync((r, e) -> { }, callbacks);
    }

    /**
     * Completes once this node's replica of {@code group} has applied {@code index} (at once on the leader that
     * applied it), or fails after {@code timeoutMs}: a replica that lags that far is not one to read from.
     */
    public CompletableFuture<Void> awaitApplied(ReplicaGroupId group, long index, long timeoutMs) {
        PontoonStateMachine m = machines.get(group);
        if (m == null) {
            return CompletableFuture.failedFuture(new ReplicationException(group + " is not hosted here", null));
        }
        CompletableFuture<Void> applied = m.awaitApplied(index);
        if (applied.isDone()) {
            return applied;
        }
        return applied.orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(new ReplicationException(
                        group + ": this replica did not apply index " + index + " within " + timeoutMs + " ms", e)))
                .whenCompleteAsync((r, e) -> { }, callbacks);
    }

    private CompletableFuture<Committed> submitOnRatisThreads(ReplicaGroupId group, byte[] command) {
        RaftServer.Division division = division(group);
        if (division != null && division.getInfo().isLeader() && division.getInfo().isLeaderReady()) {
            long callId = callIds.incrementAndGet();
            RaftClientRequest request = RaftClientRequest.newBuilder()
                    .setClientId(clientId).setServerId(selfId).setGroupId(division.getGroup().getGroupId())
                    .setCallId(callId)
                    .setRepliedCallIds(replied.drain(group))
                    .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(command)))
                    .setType(RaftClientRequest.writeRequestType())
                    .build();
            try {
                return server.submitClientRequestAsync(request).thenCompose(reply -> {
                    replied.add(group, callId);
                    if (reply.isSuccess()) {
                        return committed(group, reply);
                    }
                    if (reply.getNotLeaderException() != null || reply.getException() instanceof LeaderNotReadyException
                            || transferring(reply.getException())) {
                        return viaClient(group, command);
                    }
                    return CompletableFuture.failedFuture(new ReplicationException(group + ": " + reply.getException(), reply.getException()));
                });
            } catch (IOException e) {
                return viaClient(group, command);
            }
        }
        return viaClient(group, command);
    }

    /**
     * Forwards through a Ratis client to whichever node leads. Uses the blocking (unordered) API on a bounded
     * pool: the ordered async API keeps a per-client sliding window on the server that waits for sequence
     * numbers a retried request may never deliver, and forwarding is the uncommon path (clients route to
     * leaders).
     */
    private CompletableFuture<Committed> viaClient(ReplicaGroupId group, byte[] command) {
        return CompletableFuture.supplyAsync(() -> {
            RaftClientReply reply = throughTransfers(group, () -> client(group).io().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(command))));
            unwrap(group, reply, null);
            return committed(group, reply).join();
        }, forwarders);
    }

    private interface RaftCall {
        RaftClientReply call() throws IOException;
    }

    /**
     * Runs {@code call}, again while the group's leader is handing over leadership (a transfer, as
     * {@link PreferredLeaders} starts them): a leader that is stepping down refuses requests before it appends
     * them, so sending again cannot apply anything twice, and the transfer is over within two election timeouts.
     */
    private RaftClientReply throughTransfers(ReplicaGroupId group, RaftCall call) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2L * config.electionTimeoutMaxMs());
        while (true) {
            try {
                RaftClientReply reply = call.call();
                if (reply.isSuccess() || !transferring(reply.getException()) || System.nanoTime() > deadline) {
                    return reply;
                }
            } catch (IOException e) {
                if (!transferring(e) || System.nanoTime() > deadline) {
                    throw new ReplicationException(group + ": " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(TRANSFER_RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplicationException(group + ": interrupted while its leadership moved", e);
            }
        }
    }

    private static boolean transferring(Throwable e) {
        return e instanceof org.apache.ratis.protocol.exceptions.LeaderSteppingDownException
                || e instanceof org.apache.ratis.protocol.exceptions.TransferLeadershipException;
    }

    /**
     * A successful write reply. An empty one means a retried request hit an entry that a new leader had applied
     * as a follower, where no reply is built (PontoonStateMachine): it took effect, but its answer is gone.
     */
    private static CompletableFuture<Committed> committed(ReplicaGroupId group, RaftClientReply reply) {
        ByteString content = reply.getMessage().getContent();
        if (content.isEmpty()) {
            return CompletableFuture.failedFuture(new ReplicationException(group + ": the request was applied at index "
                    + reply.getLogIndex() + " but its reply was lost in a leader change; its outcome is unknown", null));
        }
        return CompletableFuture.completedFuture(new Committed(reply.getLogIndex(), content.toByteArray()));
    }

    /** A linearizable read: the leader confirms its leadership and waits until its state covers the commit index. */
    public CompletableFuture<byte[]> read(ReplicaGroupId group, byte[] query) {
        return CompletableFuture.supplyAsync(() -> unwrap(group, throughTransfers(group,
                () -> client(group).io().sendReadOnly(Message.valueOf(UnsafeByteOperations.unsafeWrap(query)))), null), forwarders);
    }

    /** A read of this node's applied state, without Raft: possibly stale, never blocked by a quorum. */
    public byte[] localRead(ReplicaGroupId group, byte[] query) {
        PontoonStateMachine m = machines.get(group);
        if (m == null) {
            throw new ReplicationException(group + " is not hosted here", null);
        }
        return m.localQuery(query);
    }

    /** This node's replica of {@code group}, hashed (see {@link StateDigest}); no Raft round trip. */
    public StateDigest digest(ReplicaGroupId group) {
        PontoonStateMachine m = machines.get(group);
        if (m == null) {
            throw new ReplicationException(group + " is not hosted here", null);
        }
        return m.digest();
    }

    private static byte[] unwrap(ReplicaGroupId group, RaftClientReply reply, Throwable error) {
        if (error != null) {
            throw new ReplicationException(group + ": " + error.getMessage(), error);
        }
        if (!reply.isSuccess()) {
            throw new ReplicationException(group + ": " + reply.getException(), reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    /** The groups this node is a member of. */
    public java.util.Set<ReplicaGroupId> groups() {
        return java.util.Set.copyOf(groups.keySet());
    }

    public GroupStatus status(ReplicaGroupId group) {
        RaftServer.Division d = division(group);
        if (d == null) {
            return new GroupStatus(group, GroupRole.CLOSED, null, 0, 0, 0, 0);
        }
        var info = d.getInfo();
        GroupRole role = switch (info.getCurrentRole()) {
            case LEADER -> GroupRole.LEADER;
            case CANDIDATE -> GroupRole.CANDIDATE;
            case FOLLOWER, LISTENER -> GroupRole.FOLLOWER;
            default -> GroupRole.STARTING;
        };
        if (!info.isAlive()) {
            role = GroupRole.CLOSED;
        }
        RaftPeerId leader = info.getLeaderId();
        return new GroupStatus(group, role, leader == null ? null : leader.toString(), info.getCurrentTerm(),
                d.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(), d.getRaftLog().getStartIndex());
    }

    /** Replies this node's Raft server holds for possible retries of {@code group}'s requests (Ratis retry cache). */
    public long retryCacheEntries(ReplicaGroupId group) {
        RaftServer.Division d = division(group);
        return d == null ? 0 : d.getRetryCache().getStatistics().size();
    }

    /** Asks the group's leader to checkpoint now (tests, operations). Returns the checkpoint's index. */
    public long takeSnapshot(ReplicaGroupId group) throws IOException {
        // creation gap 1: snapshot whenever anything was applied since the last one (0 would mean the 1024 default)
        RaftClientReply reply = client(group).getSnapshotManagementApi().create(1, 30_000);
        if (!reply.isSuccess()) {
            throw new IOException(group + ": snapshot failed: " + reply.getException());
        }
        return reply.getLogIndex();
    }

    /**
     * Makes {@code nodeId} the group's preferred leader and moves leadership to it. Peers carry priorities (see
     * {@link #raftGroup}), and a Ratis leader refuses to hand over to, and later takes back from, a peer of lower
     * priority; so the new priorities are replicated first (a configuration change), then leadership moves.
     */
    public void transferLeadership(ReplicaGroupId group, String nodeId, long timeoutMs) throws IOException {
        RaftClientReply conf = client(group).admin().setConfiguration(members(nodeId));
        if (!conf.isSuccess()) {
            throw new IOException(group + ": cannot make " + nodeId + " the preferred leader: " + conf.getException());
        }
        RaftClientReply reply = client(group).admin().transferLeadership(RaftPeerId.valueOf(nodeId), timeoutMs);
        if (!reply.isSuccess()) {
            throw new IOException(group + ": leadership transfer failed: " + reply.getException());
        }
    }

    /**
     * The peer the group's current configuration prefers as leader (the one with the highest priority, see
     * {@link #raftGroup} and {@link #transferLeadership}), or empty if no peer is preferred.
     */
    public java.util.Optional<String> preferredLeader(ReplicaGroupId group) {
        RaftServer.Division d = division(group);
        if (d == null) {
            return java.util.Optional.empty();
        }
        var peers = d.getRaftConf().getCurrentPeers();
        int top = peers.stream().mapToInt(RaftPeer::getPriority).max().orElse(0);
        long atTop = peers.stream().filter(p -> p.getPriority() == top).count();
        return atTop == 1 ? peers.stream().filter(p -> p.getPriority() == top).map(p -> p.getId().toString()).findFirst()
                : java.util.Optional.empty();
    }

    /**
     * Whether {@code nodeId} could take over a group this node leads without making clients wait: it answered
     * this leader within the last {@code freshMs} and its commit index is at most {@code maxLagEntries} behind
     * this leader's. (A Ratis transfer to a peer that is down or behind holds client requests until it times out.)
     */
    public boolean caughtUp(ReplicaGroupId group, String nodeId, long freshMs, long maxLagEntries) {
        RaftServer.Division d = division(group);
        if (d == null || !d.getInfo().isLeader()) {
            return false;
        }
        boolean fresh = d.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
                .anyMatch(f -> f.getId().getId().toStringUtf8().equals(nodeId) && f.getLastRpcElapsedTimeMs() <= freshMs);
        long leaderCommit = d.getRaftLog().getLastCommittedIndex();
        boolean close = d.getCommitInfos().stream()
                .anyMatch(c -> c.getServer().getId().toStringUtf8().equals(nodeId) && c.getCommitIndex() >= leaderCommit - maxLagEntries);
        return fresh && close;
    }

    /** Asks Ratis to hand leadership of a group this node leads to {@code nodeId}, without changing priorities. */
    public void handOverLeadership(ReplicaGroupId group, String nodeId, long timeoutMs) throws IOException {
        RaftClientReply reply = client(group).admin().transferLeadership(RaftPeerId.valueOf(nodeId), timeoutMs);
        if (!reply.isSuccess()) {
            throw new IOException(group + ": hand-over to " + nodeId + " failed: " + reply.getException());
        }
    }

    public String nodeId() {
        return config.nodeId();
    }

    private RaftServer.Division division(ReplicaGroupId group) {
        RaftGroup g = groups.get(group);
        if (g == null) {
            return null;
        }
        try {
            return server.getDivision(g.getGroupId());
        } catch (IOException e) {
            return null;
        }
    }

    private RaftClient client(ReplicaGroupId group) {
        return clients.computeIfAbsent(group, g -> {
            RaftGroup raftGroup = groups.get(g);
            if (raftGroup == null) {
                throw new ReplicationException(g + " is not hosted here", null);
            }
            return RaftClient.newBuilder()
                    .setClientId(ClientId.randomId())
                    .setRaftGroup(raftGroup)
                    .setLeaderId(selfId)
                    .setProperties(clientProperties)
                    .setParameters(tls.map(RaftTls::parameters).orElseGet(Parameters::new))
                    .setRetryPolicy(retryPolicy(config))
                    .build();
        });
    }

    /** Bounded: Ratis's default client policy retries forever without sleeping. */
    private static RetryPolicy retryPolicy(RaftNodeConfig config) {
        int attempts = Math.max(5, 4 * config.electionTimeoutMaxMs() / 200);
        return ExponentialBackoffRetry.newBuilder()
                .setBaseSleepTime(TimeDuration.valueOf(25, TimeUnit.MILLISECONDS))
                .setMaxSleepTime(TimeDuration.valueOf(500, TimeUnit.MILLISECONDS))
                .setMaxAttempts(attempts)
                .build();
    }

    private static RaftProperties serverProperties(RaftNodeConfig c) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        RaftServerConfigKeys.setStorageDir(p, List.of(c.storageDir().toFile()));
        GrpcConfigKeys.Server.setHost(p, c.self().host());
        GrpcConfigKeys.Server.setPort(p, c.listenPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(c.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(c.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(c.requestTimeoutMs(), TimeUnit.MILLISECONDS));
        // A leader that stepped down for lost heartbeats sits out elections this long (Ratis default 10 s). If
        // its log is the longest, nobody else can win meanwhile: the chaos harness saw 13 s without a leader
        // after pausing both followers for 2.6 s. Two election timeouts keep the protection, not the outage.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p,
                TimeDuration.valueOf(2L * c.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, c.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeGap(p, c.logPurgeGap());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(c.logSegmentBytes()));
        // Ratis caches recent segments on the heap (default up to 200 MB per group): bound it per group.
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(c.logCacheBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(4L << 20, c.logSegmentBytes())));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, c.purgeUptoSnapshot());
        // One log entry may be as large as the appender buffer; the write buffer must exceed it (research B.4).
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(c.maxEntryBytes()));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(c.maxEntryBytes() + 8));
        // A follower holds every AppendEntries its leader has outstanding (each up to the appender buffer), per group:
        // bound them, so that catching up after downtime costs groups x this x maxEntryBytes of heap at most.
        GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(p, RaftNodeConfig.APPENDS_IN_FLIGHT);
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf(RaftNodeConfig.SNAPSHOT_CHUNK_BYTES));
        GrpcConfigKeys.Server.setInstallSnapshotRequestElementLimit(p, RaftNodeConfig.SNAPSHOT_CHUNKS_IN_FLIGHT);
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(2L * c.maxEntryBytes()));
        // Composed follower appends (RATIS-2235) stalled followers in our tests and cost throughput in Ozone
        // (HDDS-14874); plain appends are the well-trodden path.
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // Replies leave the retry cache as soon as their client says it has them (RepliedCallIds; Ratis's clients do
        // the same); the expiry only cleans up after clients that went away. It must outlast a forwarding client's
        // retries (RaftNode.retryPolicy, ~20 s), so that a retried forward is answered from the cache, not re-applied.
        RaftServerConfigKeys.RetryCache.setExpiryTime(p, TimeDuration.valueOf(30, TimeUnit.SECONDS));
        return p;
    }

    private static RaftProperties clientProperties(RaftNodeConfig c) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(c.requestTimeoutMs(), TimeUnit.MILLISECONDS));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(2L * c.maxEntryBytes()));
        return p;
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        callbacks.shutdown();
        forwarders.shutdownNow();
        for (RaftClient c : clients.values()) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.warn("closing raft client", e);
            }
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
