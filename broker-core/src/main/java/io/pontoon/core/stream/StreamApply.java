package io.pontoon.core.stream;

import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.EntryContext;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.stream.StreamCommand.CloseShard;
import io.pontoon.core.stream.StreamCommand.CreateShard;
import io.pontoon.core.stream.StreamCommand.DeleteShard;
import io.pontoon.core.stream.StreamCommand.PutRecords;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.stream.StreamCommand.RecordEntry;
import io.pontoon.core.stream.StreamCommand.TrimShard;
import io.pontoon.core.stream.StreamCommand.UpdateLease;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The stream model's apply: pure in (state, command, entry). Records are immutable once appended, sequences come from
 * the partition's log-derived counter (never a clock), and a closed shard never takes another record.
 */
final class StreamApply {
    private StreamApply() {
    }

    static PartitionResult apply(EntryContext ctx, StreamCommand command) {
        return switch (command) {
            case CreateShard c -> create(ctx, c);
            case PutRecords p -> put(ctx, p);
            case StreamCommand.PutLaneRecords l -> putLane(ctx, l);
            case CloseShard c -> close(ctx.txn(), c.uid());
            case TrimShard t -> trim(ctx.txn(), t);
            case DeleteShard d -> delete(ctx.txn(), d.uid());
            case UpdateLease u -> updateLease(ctx, u);
        };
    }

    private static PartitionResult create(EntryContext ctx, CreateShard c) {
        Optional<ShardRecord> existing = ctx.txn().shard(c.uid());
        if (existing.isPresent()) {
            ShardRecord s = existing.get();
            boolean same = s.streamName().equals(c.streamName()) && s.shardId().equals(c.shardId())
                    && s.startingHashKey().equals(c.startingHashKey()) && s.endingHashKey().equals(c.endingHashKey());
            return same ? new StreamResult.ShardCreated(s.startingSeq())
                    : new PartitionResult.Error(ErrorCode.RESOURCE_IN_USE, "Shard uid " + c.uid() + " is already " + s.shardId() + " of " + s.streamName() + ".");
        }
        long start = ctx.nextSeq();
        ctx.txn().putShard(new ShardRecord(c.uid(), c.streamName(), c.shardId(), c.startingHashKey(), c.endingHashKey(), ctx.nowMs(),
                start, false, -1, start - 1, 0, start));
        return new StreamResult.ShardCreated(start);
    }

    private static PartitionResult put(EntryContext ctx, PutRecords p) {
        Optional<ShardRecord> found = ctx.txn().shard(p.uid());
        if (found.isEmpty()) {
            return noShard(p.uid());
        }
        ShardRecord shard = found.get();
        if (shard.closed()) {
            return new StreamResult.ShardClosed(shard.endingSeq());
        }
        long now = ctx.nowMs();
        if (p.minSeq() >= 0) {
            ctx.advanceSeqTo(p.minSeq() + 1);
        }
        List<Long> seqs = new ArrayList<>(p.records().size());
        for (RecordEntry r : p.records()) {
            long seq = ctx.allocateSeq();
            ctx.txn().putRecord(shard.uid(), new StoredRecord(seq, now, r.partitionKey(), r.data()));
            seqs.add(seq);
        }
        if (now > shard.lastArrivalMs()) {
            // Arrival times never decrease within a shard (effective time never runs backwards): one mark per new time.
            ctx.txn().putTimeMark(shard.uid(), now, seqs.get(0));
        }
        ctx.txn().putShard(shard.withRecords(seqs.get(seqs.size() - 1), now));
        return new StreamResult.Put(seqs, now);
    }

    /** Appends the lane records above the shard's mark (and the floor); the others answer sequence -1, already taken. */
    private static PartitionResult putLane(EntryContext ctx, StreamCommand.PutLaneRecords l) {
        Optional<ShardRecord> found = ctx.txn().shard(l.put().uid());
        if (found.isEmpty() || found.get().closed()) {
            return put(ctx, l.put());
        }
        byte[] key = StreamLanes.key(l.put().uid(), l.lane());
        long mark = Math.max(l.floor(), ctx.txn().aux(AuxTable.STREAM_LANE, key).map(StreamLanes::markOf).orElse(0L));
        List<RecordEntry> fresh = new ArrayList<>();
        for (int i = 0; i < l.laneSeqs().size(); i++) {
            if (l.laneSeqs().get(i) > mark) {
                fresh.add(l.put().records().get(i));
            }
        }
        List<Long> seqs = new ArrayList<>(l.laneSeqs().size());
        long arrival = ctx.nowMs();
        if (!fresh.isEmpty()) {
            StreamResult.Put put = (StreamResult.Put) put(ctx, new PutRecords(l.put().uid(), fresh, l.put().minSeq()));
            arrival = put.arrivalMs();
            int k = 0;
            for (long laneSeq : l.laneSeqs()) {
                seqs.add(laneSeq > mark ? put.seqs().get(k++) : -1L);
            }
        } else {
            l.laneSeqs().forEach(x -> seqs.add(-1L));
        }
        ctx.txn().putAux(AuxTable.STREAM_LANE, key, StreamLanes.value(Math.max(mark, l.laneSeqs().get(l.laneSeqs().size() - 1))));
        return new StreamResult.Put(seqs, arrival);
    }

    private static PartitionResult close(StoreTxn txn, long uid) {
        Optional<ShardRecord> found = txn.shard(uid);
        if (found.isEmpty()) {
            return noShard(uid);
        }
        ShardRecord shard = found.get();
        if (!shard.closed()) {
            shard = shard.closedAt(Math.max(shard.lastSeq(), shard.startingSeq()));
            txn.putShard(shard);
        }
        return new StreamResult.ShardClosed(shard.endingSeq());
    }

    private static PartitionResult trim(StoreTxn txn, TrimShard t) {
        Optional<ShardRecord> found = txn.shard(t.uid());
        if (found.isEmpty()) {
            return noShard(t.uid());
        }
        ShardRecord shard = found.get();
        long cut = txn.seqAtOrAfter(shard.uid(), t.trimBeforeMs()).orElse(shard.lastSeq() + 1);
        if (cut > shard.trimmedBelowSeq()) {
            txn.trimRecords(shard.uid(), cut, t.trimBeforeMs());
            shard = shard.trimmedBelow(cut);
            txn.putShard(shard);
        }
        return new StreamResult.Trimmed(shard.trimmedBelowSeq());
    }

    private static PartitionResult delete(StoreTxn txn, long uid) {
        if (txn.shard(uid).isPresent()) {
            txn.deleteShard(uid);
            txn.dropAux(AuxTable.STREAM_LANE, StreamLanes.prefix(uid));
        }
        return new PartitionResult.Ok();
    }

    private static PartitionResult updateLease(EntryContext ctx, UpdateLease u) {
        if (ctx.txn().shard(u.uid()).isEmpty()) {
            return noShard(u.uid());
        }
        Lease current = ctx.txn().lease(u.uid(), u.application()).orElse(Lease.none(u.application(), u.uid()));
        boolean holderMatches = current.freeAt(ctx.nowMs()) || Objects.equals(current.owner(), u.expectedOwner());
        if (current.counter() != u.expectedCounter() || !holderMatches) {
            return new StreamResult.LeaseUpdated(false, current);
        }
        Lease next = new Lease(u.application(), u.uid(), u.newOwner(), current.counter() + 1,
                u.newOwner() == null ? 0 : ctx.nowMs() + u.durationMs(), u.checkpoint() != null ? u.checkpoint() : current.checkpoint());
        ctx.txn().putLease(next);
        return new StreamResult.LeaseUpdated(true, next);
    }

    private static PartitionResult noShard(long uid) {
        return new PartitionResult.Error(ErrorCode.RESOURCE_NOT_FOUND, "Shard " + uid + " does not exist on this partition.");
    }
}
