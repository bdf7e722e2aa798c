package io.pontoon.server.config;

import io.pontoon.core.Limits;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a broker node needs to start, validated once here with messages that name the setting.
 * Durations carry their unit in the name. See docs/configuration.md for every key.
 */
public record NodeConfig(
        String nodeId,
        Path dataDir,
        List<Member> members,
        int partitions,
        int metricsPort,
        int raftListenPort,
        int electionTimeoutMinMs,
        int electionTimeoutMaxMs,
        int requestTimeoutMs,
        long snapshotThresholdEntries,
        long logSegmentBytes,
        long logCacheBytes,
        int logPurgeGap,
        boolean purgeUptoSnapshot,
        int tickIntervalMs,
        int groupCommitMaxCommands,
        int groupCommitMaxBytes,
        int groupCommitMaxInFlight,
        long groupCommitMaxQueuedBytes,
        long requestBufferBytes,
        long responseBufferBytes,
        long rocksBlockCacheBytes,
        long rocksWriteBufferBytes,
        int maxInFlightPerQueue,
        long queueRecreateDelayMs,
        int longPollRecheckMs,
        long clockOffsetMs,
        java.util.Optional<Path> testClockOffsetFile,
        int fifoHighThroughputPartitions,
        java.util.Optional<Path> snsSigningKeyFile,
        java.util.Optional<Path> snsSigningCertFile,
        SeededBug seededBug,
        io.pontoon.api.AwsIdentity identity,
        java.util.Optional<io.pontoon.gateway.GatewayConfig> gateway,
        java.util.Optional<TlsConfig> tls,
        java.util.Map<String, String> accessKeys,
        AuditConfig audit) {

    /** A cluster member: its id, Raft endpoint and client gRPC endpoint. */
    public record Member(String nodeId, String host, int raftPort, int clientPort) {
        public String clientAddress() {
            return host + ":" + clientPort;
        }
    }

    public NodeConfig {
        members = List.copyOf(members);
        accessKeys = java.util.Map.copyOf(accessKeys);
        require(identity != null, "aws.region", "must be set");
        require(nodeId != null && nodeId.matches("[A-Za-z0-9_-]{1,32}"), "node.id", "must be 1-32 chars of [A-Za-z0-9_-]");
        require(dataDir != null, "data.dir", "must be set");
        require(!members.isEmpty(), "peers", "must list at least this node");
        Set<String> ids = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (Member m : members) {
            require(ids.add(m.nodeId()), "peers", "duplicate node id " + m.nodeId());
            require(validPort(m.raftPort()) && validPort(m.clientPort()), "peers", "bad port for " + m.nodeId());
            require(endpoints.add(m.host() + ":" + m.raftPort()) && endpoints.add(m.host() + ":" + m.clientPort()),
                    "peers", "endpoint reused by " + m.nodeId());
        }
        require(ids.contains(nodeId), "node.id", nodeId + " is not listed in peers " + ids);
        require(members.size() == 1 || members.size() == 3 || members.size() == 5, "peers", "must list 1, 3 or 5 nodes (got " + members.size() + ")");
        require(partitions >= 1 && partitions <= 256, "partitions", "must be 1..256");
        require(metricsPort == 0 || validPort(metricsPort), "metrics.port", "must be a port or 0 (disabled)");
        require(raftListenPort == 0 || validPort(raftListenPort), "raft.listen.port", "must be a port or 0 (this node's port in peers)");
        require(electionTimeoutMinMs >= 100, "raft.election.timeout.min.ms", "must be >= 100");
        require(electionTimeoutMaxMs > electionTimeoutMinMs, "raft.election.timeout.max.ms", "must exceed the min");
        require(requestTimeoutMs >= 100, "raft.request.timeout.ms", "must be >= 100");
        require(snapshotThresholdEntries >= 16, "raft.snapshot.threshold.entries", "must be >= 16");
        require(logSegmentBytes >= 64 * 1024, "raft.log.segment.bytes", "must be >= 64 KiB");
        require(logCacheBytes >= logSegmentBytes, "raft.log.cache.bytes", "must be >= raft.log.segment.bytes");
        require(logPurgeGap >= 1, "raft.log.purge.gap", "must be >= 1");
        require(tickIntervalMs >= 10 && tickIntervalMs <= 60_000, "tick.interval.ms", "must be 10..60000");
        require(groupCommitMaxCommands >= 1 && groupCommitMaxCommands <= Limits.MAX_COMMANDS_PER_ENTRY, "group.commit.max.commands",
                "must be 1.." + Limits.MAX_COMMANDS_PER_ENTRY + " (the most commands one log entry may carry)");
        require(groupCommitMaxBytes >= MIN_ENTRY_COMMAND_BYTES && groupCommitMaxBytes <= 32 << 20, "group.commit.max.bytes",
                "must be " + MIN_ENTRY_COMMAND_BYTES + " (room for the largest single request: a 1 MiB batch and its framing) .. 32 MiB");
        require(groupCommitMaxInFlight >= 1 && groupCommitMaxInFlight <= 64, "group.commit.max.in.flight", "must be 1..64");
        require(groupCommitMaxQueuedBytes >= groupCommitMaxBytes && groupCommitMaxQueuedBytes <= 1L << 30, "group.commit.max.queued.bytes",
                "must be group.commit.max.bytes (" + groupCommitMaxBytes + ") .. 1 GiB: a partition must be able to queue one full entry");
        require(requestBufferBytes >= groupCommitMaxBytes && requestBufferBytes <= 1L << 34, "node.request.buffer.bytes",
                "must be group.commit.max.bytes (" + groupCommitMaxBytes + ") .. 16 GiB: the node must be able to hold one full entry");
        require(responseBufferBytes >= Limits.MAX_RECEIVE_DELIVERY_BYTES && responseBufferBytes <= 1L << 34, "node.response.buffer.bytes",
                "must be " + Limits.MAX_RECEIVE_DELIVERY_BYTES + " (one receive of 10 messages of 1 MiB) .. 16 GiB");

        require(rocksBlockCacheBytes >= 8 << 20, "rocksdb.block.cache.bytes", "must be >= 8 MiB");
        require(rocksWriteBufferBytes >= 8 << 20 && rocksWriteBufferBytes < rocksBlockCacheBytes, "rocksdb.write.buffer.bytes",
                "must be >= 8 MiB and below rocksdb.block.cache.bytes (memtables are charged to the block cache)");
        require(maxInFlightPerQueue >= 1 && maxInFlightPerQueue <= Limits.MAX_IN_FLIGHT_LIMIT, "queue.max.in.flight",
                "must be 1.." + Limits.MAX_IN_FLIGHT_LIMIT);
        require(queueRecreateDelayMs >= 0 && queueRecreateDelayMs <= Limits.MAX_QUEUE_RECREATE_DELAY_MS, "queue.recreate.delay.ms",
                "must be 0.." + Limits.MAX_QUEUE_RECREATE_DELAY_MS);
        require(longPollRecheckMs >= 10 && longPollRecheckMs <= 20_000, "long.poll.recheck.ms", "must be 10..20000");
        require(fifoHighThroughputPartitions >= 0 && fifoHighThroughputPartitions <= partitions, "fifo.high.throughput.partitions",
                "must be 0 (one per node) .. partitions");
        require(snsSigningKeyFile.isPresent() == snsSigningCertFile.isPresent(), snsSigningKeyFile.isPresent() ? "sns.signing.cert.file"
                : "sns.signing.key.file", "sns.signing.key.file and sns.signing.cert.file must be set together (or neither: the node makes its own)");
    }

    /**
     * Partitions a high-throughput FIFO queue spans: the configured number, or by default (0) one per node, so
     * its shards' leaders can sit on every machine; more shards than machines add Raft work without adding CPU.
     */
    public int fifoShards() {
        return fifoHighThroughputPartitions == 0 ? Math.min(members.size(), partitions) : fifoHighThroughputPartitions;
    }

    /** auth.mode=sigv4: gRPC calls and gateway requests must be signed by one of {@link #accessKeys()}. */
    public boolean authRequired() {
        return !accessKeys.isEmpty();
    }

    public Member self() {
        return members.stream().filter(m -> m.nodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    /** The largest Raft log entry: a group-committed batch (exact encoded sizes) plus the envelope and framing. */
    public int maxEntryBytes() {
        return groupCommitMaxBytes + ENTRY_FRAMING_BYTES;
    }

    /** Room in a log entry for the largest single request: a SendMessageBatch of 1 MiB with ids, groups and attributes. */
    public static final int MIN_ENTRY_COMMAND_BYTES = 2 << 20;
    /** The leader-time envelope and the entry's version and count, with room to spare. */
    private static final int ENTRY_FRAMING_BYTES = 64 << 10;
    /** Heap a node needs besides what its settings size: Ratis, gRPC, RocksDB's Java side, metrics, small caches. */
    public static final long BASELINE_HEAP_BYTES = 96L << 20;

    /**
     * The most heap this node's settings let it use (docs/configuration.md): per group, Ratis's log cache (with the
     * open segment, which it cannot evict and which one entry may overfill), the AppendEntries a leader keeps
     * outstanding, and the install-snapshot chunks in flight; the request buffer; the response buffer twice (content
     * read, then its serialized copy); and a baseline. A node refuses to start when this exceeds its JVM's heap.
     */
    public long heapNeededBytes() {
        long groups = partitions + 1L;
        return groups * (logCacheBytes + logSegmentBytes + maxEntryBytes()) + groups * io.pontoon.raft.RaftNodeConfig.APPENDS_IN_FLIGHT * maxEntryBytes()
                + groups * (long) io.pontoon.raft.RaftNodeConfig.SNAPSHOT_CHUNKS_IN_FLIGHT * io.pontoon.raft.RaftNodeConfig.SNAPSHOT_CHUNK_BYTES
                + requestBufferBytes + 2 * responseBufferBytes + BASELINE_HEAP_BYTES;
    }

    /** Refuses a heap that the settings would overrun, naming what to change. */
    public void requireHeap(long maxHeapBytes) {
        require(heapNeededBytes() <= maxHeapBytes, "heap", "these settings need up to " + (heapNeededBytes() >> 20) + " MiB of heap and the JVM has "
                + (maxHeapBytes >> 20) + " MiB: raise PONTOON_HEAP (-Xmx), or lower raft.log.cache.bytes, raft.log.segment.bytes, "
                + "group.commit.max.bytes, node.request.buffer.bytes, node.response.buffer.bytes or partitions");
    }

    private static boolean validPort(int port) {
        return port > 0 && port < 65536;
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key + ": " + message);
        }
    }
}
