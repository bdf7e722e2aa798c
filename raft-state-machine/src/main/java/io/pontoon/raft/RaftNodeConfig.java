package io.pontoon.raft;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Configuration of this node's Raft side, validated once at construction.
 *
 * @param nodeId                      this node's id; must appear in {@code peers}
 * @param storageDir                  Ratis's storage (logs, metadata, checkpoints of every group)
 * @param peers                       every node of the cluster with its Raft address, self included
 * @param listenPort                  the port this node's Raft server binds; 0 means its own port in {@code peers}.
 *                                    They differ when peers reach this node through a port forward or proxy
 *                                    (the chaos harness's link proxy), as etcd's listen vs advertise URLs
 * @param electionTimeoutMinMs        lower bound of the randomized election timeout; keep it well above
 *                                    GC pauses (research: 5 x p99.9 pause)
 * @param electionTimeoutMaxMs        upper bound
 * @param requestTimeoutMs            how long a forwarded request may take before it is retried
 * @param snapshotThresholdEntries    log entries applied since the last checkpoint that trigger a new one
 * @param maxEntryBytes               largest log entry (Ratis appender buffer limit); batches stay below it
 * @param logSegmentBytes             size at which a log segment is closed; only closed segments are purged
 * @param logCacheBytes               heap each group may use to cache log entries (Ratis keeps recent
 *                                    segments in memory for appenders); bounds heap under heavy writes
 * @param logPurgeGap                 purge the log only when this many entries can go at once
 * @param purgeUptoSnapshot           purge up to the checkpoint even if a follower has not got those entries
 *                                    (it then catches up by snapshot install); false keeps them for it
 */
public record RaftNodeConfig(
        String nodeId,
        Path storageDir,
        List<Peer> peers,
        int listenPort,
        int electionTimeoutMinMs,
        int electionTimeoutMaxMs,
        int requestTimeoutMs,
        long snapshotThresholdEntries,
        int maxEntryBytes,
        long logSegmentBytes,
        long logCacheBytes,
        int logPurgeGap,
        boolean purgeUptoSnapshot) {

    /** AppendEntries a leader keeps outstanding per follower and group (Ratis's default is 8). */
    public static final int APPENDS_IN_FLIGHT = 4;
    /** Bytes of one install-snapshot chunk (Ratis's default is 16 MiB). */
    public static final int SNAPSHOT_CHUNK_BYTES = 2 << 20;
    /**
     * Install-snapshot chunks a leader keeps outstanding per follower and group (Ratis's default is 8). It bounds the
     * heap a snapshot install holds, and also how long a broken install stream stalls: Ratis waits for a lost
     * chunk's reply up to the request timeout times this limit (24 s at the defaults) before it starts over.
     */
    public static final int SNAPSHOT_CHUNKS_IN_FLIGHT = 2;

    /** A cluster member's Raft endpoint. */
    public record Peer(String nodeId, String host, int port) {
        public String address() {
            return host + ":" + port;
        }
    }

    public RaftNodeConfig {
        peers = List.copyOf(peers);
        require(nodeId != null && !nodeId.isBlank(), "nodeId must be set");
        require(storageDir != null, "storageDir must be set");
        require(!peers.isEmpty(), "peers must list at least this node");
        Set<String> ids = new HashSet<>();
        for (Peer p : peers) {
            require(ids.add(p.nodeId()), "duplicate peer id " + p.nodeId());
            require(p.port() > 0 && p.port() < 65536, "peer " + p.nodeId() + " has invalid port " + p.port());
        }
        require(ids.contains(nodeId), "nodeId " + nodeId + " is not among peers " + ids);
        require(listenPort >= 0 && listenPort < 65536, "listenPort must be a port or 0 (the port in peers)");
        if (listenPort == 0) {
            listenPort = peers.stream().filter(p -> p.nodeId().equals(nodeId)).findFirst().orElseThrow().port();
        }
        require(electionTimeoutMinMs >= 100, "electionTimeoutMinMs must be >= 100");
        require(electionTimeoutMaxMs > electionTimeoutMinMs, "electionTimeoutMaxMs must exceed electionTimeoutMinMs");
        require(requestTimeoutMs >= 100, "requestTimeoutMs must be >= 100");
        require(snapshotThresholdEntries >= 16, "snapshotThresholdEntries must be >= 16");
        require(maxEntryBytes >= 1 << 20, "maxEntryBytes must be >= 1 MiB");
        require(logPurgeGap >= 1, "logPurgeGap must be >= 1");
        require(logSegmentBytes >= 64 * 1024, "logSegmentBytes must be >= 64 KiB");
        require(logCacheBytes >= logSegmentBytes, "logCacheBytes must hold at least one segment");
    }

    public Peer self() {
        return peers.stream().filter(p -> p.nodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid raft config: " + message);
        }
    }
}
