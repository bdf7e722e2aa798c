package io.pontoon.server.config;

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
        long rocksBlockCacheBytes,
        long rocksWriteBufferBytes,
        int maxInFlightPerQueue,
        int longPollRecheckMs,
        long clockOffsetMs,
        java.util.Optional<Path> testClockOffsetFile,
        int fifoHighThroughputPartitions,
        SeededBug seededBug) {

    /** A cluster member: its id, Raft endpoint and client gRPC endpoint. */
    public record Member(String nodeId, String host, int raftPort, int clientPort) {
        public String clientAddress() {
            return host + ":" + clientPort;
        }
    }

    public NodeConfig {
        members = List.copyOf(members);
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
        require(groupCommitMaxCommands >= 1 && groupCommitMaxCommands <= 10_000, "group.commit.max.commands", "must be 1..10000");
        require(groupCommitMaxBytes >= 1 << 20 && groupCommitMaxBytes <= 32 << 20, "group.commit.max.bytes", "must be 1 MiB..32 MiB");
        require(groupCommitMaxInFlight >= 1 && groupCommitMaxInFlight <= 64, "group.commit.max.in.flight", "must be 1..64");
        require(rocksBlockCacheBytes >= 8 << 20, "rocksdb.block.cache.bytes", "must be >= 8 MiB");
        require(rocksWriteBufferBytes >= 8 << 20 && rocksWriteBufferBytes < rocksBlockCacheBytes, "rocksdb.write.buffer.bytes",
                "must be >= 8 MiB and below rocksdb.block.cache.bytes (memtables are charged to the block cache)");
        require(maxInFlightPerQueue >= 1 && maxInFlightPerQueue <= 10_000_000, "queue.max.in.flight", "must be 1..10000000");
        require(longPollRecheckMs >= 10 && longPollRecheckMs <= 20_000, "long.poll.recheck.ms", "must be 10..20000");
        require(fifoHighThroughputPartitions >= 0 && fifoHighThroughputPartitions <= partitions, "fifo.high.throughput.partitions",
                "must be 0 (one per node) .. partitions");
    }

    /**
     * Partitions a high-throughput FIFO queue spans: the configured number, or by default (0) one per node, so
     * its shards' leaders can sit on every machine; more shards than machines add Raft work without adding CPU.
     */
    public int fifoShards() {
        return fifoHighThroughputPartitions == 0 ? Math.min(members.size(), partitions) : fifoHighThroughputPartitions;
    }

    public Member self() {
        return members.stream().filter(m -> m.nodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    /** The largest Raft log entry: a group-committed batch plus headroom for the envelope and framing. */
    public int maxEntryBytes() {
        return groupCommitMaxBytes + (2 << 20);
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
