package io.pontoon.server.stream;

import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.stream.ShardRecord;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.core.stream.StreamQuery;
import io.pontoon.core.stream.StreamQueryResult;
import io.pontoon.server.partition.PartitionAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.IntPredicate;

/**
 * Retention for the shards of the partitions this node leads: every 30 s, each shard holding records older than its
 * stream's retention period gets a TrimShard for them (two range deletes, whatever their number), proposed by the
 * leader with the cut in the command, so every replica trims the same records. Trimmed records never come back, also
 * when the retention is increased later (AWS's rule). Bounded: at most 1,000 shards per partition per round, from a
 * cursor, so every shard gets its turn.
 */
public final class StreamTrimmer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamTrimmer.class);
    private static final long EVERY_MS = 30_000;
    private static final int SHARDS_PER_ROUND = 1_000;

    private final PartitionAccess partitions;
    private final StreamTopologies topologies;
    private final IntPredicate leads;
    private final io.pontoon.server.timers.Cadence cadence = new io.pontoon.server.timers.Cadence(EVERY_MS);
    /** Per partition, the uid after which the next round continues: every shard gets its turn, whatever their number. */
    private final java.util.Map<Integer, Long> cursors = new java.util.HashMap<>();

    public StreamTrimmer(PartitionAccess partitions, StreamTopologies topologies, IntPredicate leads) {
        this.partitions = partitions;
        this.topologies = topologies;
        this.leads = leads;
    }

    public void poll(long nowMs) {
        if (!cadence.due(nowMs)) {
            return;
        }
        for (int p = 0; p < partitions.partitions(); p++) {
            if (leads.test(p)) {
                trim(p, nowMs);
            }
        }
    }

    private void trim(int partition, long nowMs) {
        long after = cursors.getOrDefault(partition, 0L);
        QueryResult r;
        try {
            r = partitions.localRead(partition, new StreamQuery.LocalShards(after, SHARDS_PER_ROUND));
        } catch (RuntimeException e) {
            return; // not open yet
        }
        if (!(r instanceof StreamQueryResult.Shards shards)) {
            return;
        }
        // the next round continues after this page, and wraps around at the end
        cursors.put(partition, shards.shards().size() < SHARDS_PER_ROUND ? 0L : shards.shards().get(shards.shards().size() - 1).uid());
        for (ShardRecord s : shards.shards()) {
            try {
                trimShard(partition, s, nowMs);
            } catch (RuntimeException e) {
                LOG.debug("trim of shard {} skipped: {}", s.shardId(), e.toString());
            }
        }
    }

    private void trimShard(int partition, ShardRecord s, long nowMs) {
        StreamTopology t;
        try {
            t = topologies.local(s.streamName());
        } catch (RuntimeException e) {
            return; // a stream being deleted: its shards go with it
        }
        long cut = nowMs - t.retentionHours() * 3_600_000L;
        if (!s.empty() && cut > 0 && hasRecordsBefore(partition, s, cut)) {
            partitions.submit(partition, new StreamCommand.TrimShard(s.uid(), cut)).exceptionally(e -> {
                LOG.debug("trim of shard {} failed: {}", s.shardId(), e.toString());
                return null;
            });
        }
    }

    private boolean hasRecordsBefore(int partition, ShardRecord s, long cut) {
        QueryResult r = partitions.localRead(partition, new StreamQuery.SeqAtTime(s.uid(), cut));
        return r instanceof StreamQueryResult.SeqAt at && at.seq() > s.trimmedBelowSeq();
    }
}
