package io.pontoon.server.stream;

import io.pontoon.core.Limits;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.core.stream.StreamCommand.RecordEntry;
import io.pontoon.core.stream.StreamQuery;
import io.pontoon.core.stream.StreamQueryResult;
import io.pontoon.core.stream.StreamResult;
import io.pontoon.server.partition.PartitionAccess;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts from another model's fan-out (a topic delivering into a stream), exactly once: each record carries its
 * sequence on the source's lane, and a shard skips what it already took from that lane ({@code PutLaneRecords}). A
 * shard's records are sent in lane order, one command after the other, stopping at the first failure, so its mark
 * never passes a record it has not taken. A child shard also skips what its parents took before they closed (their
 * final marks are its floor), so a resend that arrives after a reshard is not appended twice. Not charged to the
 * per-shard write rate.
 */
final class LanePuts {
    private static final int MAX_REROUTES = 3;
    private static final int MAX_CACHED_MARKS = 10_000;

    private final StreamTopologies topologies;
    private final PartitionAccess partitions;
    /** Final marks of closed shards, by (uid, lane): a closed shard takes nothing more. */
    private final Map<String, Long> closedMarks = new ConcurrentHashMap<>();

    LanePuts(StreamTopologies topologies, PartitionAccess partitions) {
        this.topologies = topologies;
        this.partitions = partitions;
    }

    /** Completes once every record is in the stream (appended now or before); fails if any could not be put. */
    CompletableFuture<Void> put(String stream, int lane, List<LaneRecord> entries) {
        return topologies.get(stream).thenCompose(t -> {
            StreamPuts.requireWritable(t);
            return route(t, lane, entries, null, 0);
        });
    }

    private CompletableFuture<Void> route(StreamTopology t, int lane, List<LaneRecord> entries, String closedParent, int reroutes) {
        Map<ShardInfo, List<LaneRecord>> byShard = new LinkedHashMap<>();
        for (LaneRecord e : entries) {
            BigInteger key = HashKeys.ofPartitionKey(e.partitionKey());
            ShardInfo shard = (closedParent == null ? t.shardFor(key) : t.childFor(closedParent, key))
                    .orElseThrow(() -> new BrokerException(ErrorCode.INTERNAL_FAILURE, "No shard of stream " + t.name() + " takes this key right now."));
            byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(e);
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        byShard.forEach((shard, list) -> sends.add(floor(t, shard, lane).thenCompose(floor -> send(t, shard, lane, floor, list, 0, reroutes))));
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /** The highest final mark of the shard's parents on the lane (0 without parents). */
    private CompletableFuture<Long> floor(StreamTopology t, ShardInfo shard, int lane) {
        List<CompletableFuture<Long>> marks = new ArrayList<>();
        for (String parentId : new String[]{shard.parentShardId(), shard.adjacentParentShardId()}) {
            if (parentId != null) {
                t.shard(parentId).ifPresent(parent -> marks.add(mark(parent, lane)));
            }
        }
        return CompletableFuture.allOf(marks.toArray(CompletableFuture[]::new))
                .thenApply(v -> marks.stream().mapToLong(CompletableFuture::join).max().orElse(0L));
    }

    private CompletableFuture<Long> mark(ShardInfo parent, int lane) {
        String key = parent.uid() + "/" + lane;
        Long cached = closedMarks.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return partitions.read(parent.partition(), new StreamQuery.LaneMark(parent.uid(), lane)).thenApply(r -> {
            if (!(r instanceof StreamQueryResult.Mark m)) {
                return 0L; // the parent is gone (trimmed away with its stream's retention): nothing of it to resend
            }
            if (closedMarks.size() >= MAX_CACHED_MARKS) {
                closedMarks.clear();
            }
            closedMarks.put(key, m.mark());
            return m.mark();
        });
    }

    /** Sends {@code entries[from..]} to the shard, one command after the other, in lane order. */
    private CompletableFuture<Void> send(StreamTopology t, ShardInfo shard, int lane, long floor, List<LaneRecord> entries, int from, int reroutes) {
        if (from >= entries.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int to = from;
        long bytes = 0;
        List<RecordEntry> records = new ArrayList<>();
        List<Long> laneSeqs = new ArrayList<>();
        while (to < entries.size() && records.size() < Limits.MAX_PUT_RECORDS_ENTRIES) {
            LaneRecord e = entries.get(to);
            long b = e.data().length + (long) e.partitionKey().length();
            if (!records.isEmpty() && bytes + b > Limits.MAX_PUT_COMMAND_BYTES) {
                break;
            }
            records.add(new RecordEntry(e.partitionKey(), e.data()));
            laneSeqs.add(e.laneSeq());
            bytes += b;
            to++;
        }
        int next = to;
        StreamCommand.PutLaneRecords command = new StreamCommand.PutLaneRecords(new StreamCommand.PutRecords(shard.uid(), records, shard.minSeq()),
                lane, floor, laneSeqs);
        return partitions.submit(shard.partition(), command).thenCompose(r -> switch (r) {
            case StreamResult.Put put -> send(t, shard, lane, floor, entries, next, reroutes);
            case StreamResult.ShardClosed closed -> reroute(t.name(), shard.shardId(), lane, entries.subList(from, entries.size()), reroutes);
            case PartitionResult.Error e -> CompletableFuture.failedFuture(new BrokerException(e.code(), e.message()));
            default -> CompletableFuture.failedFuture(new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected answer " + r));
        });
    }

    private CompletableFuture<Void> reroute(String stream, String parent, int lane, List<LaneRecord> entries, int reroutes) {
        if (reroutes >= MAX_REROUTES) {
            return CompletableFuture.failedFuture(new BrokerException(ErrorCode.INTERNAL_FAILURE, "Shard " + parent + " was closed; retry."));
        }
        return topologies.fresh(stream).thenCompose(t -> route(t, lane, entries, parent, reroutes + 1));
    }

    static boolean noSuchStream(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof BrokerException b && b.code() == ErrorCode.RESOURCE_NOT_FOUND;
    }
}
