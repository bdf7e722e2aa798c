package io.pontoon.core.stream;

import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read-only answers of the stream model, from a consistent view. */
final class StreamQueries {
    private StreamQueries() {
    }

    static QueryResult answer(StoreView view, StreamQuery query) {
        return switch (query) {
            case StreamQuery.ShardState s -> view.shard(s.uid())
                    .<QueryResult>map(StreamQueryResult.ShardInfo::new).orElseGet(() -> noShard(s.uid()));
            case StreamQuery.ReadRecords r -> view.shard(r.uid()).<QueryResult>map(shard -> read(view, shard, r)).orElseGet(() -> noShard(r.uid()));
            case StreamQuery.SeqAtTime t -> view.shard(t.uid()).<QueryResult>map(shard -> new StreamQueryResult.SeqAt(
                    view.seqAtOrAfter(shard.uid(), t.timestampMs()).orElse(shard.lastSeq() + 1))).orElseGet(() -> noShard(t.uid()));
            case StreamQuery.LocalShards l -> new StreamQueryResult.Shards(view.shards(l.afterUid(), l.limit()));
            case StreamQuery.LaneMark m -> new StreamQueryResult.Mark(view.aux(io.pontoon.core.partition.AuxTable.STREAM_LANE,
                    StreamLanes.key(m.uid(), m.lane())).map(StreamLanes::markOf).orElse(0L));
            case StreamQuery.Leases l -> {
                List<Lease> leases = new ArrayList<>(l.uids().size());
                for (long uid : l.uids()) {
                    Optional<Lease> lease = view.lease(uid, l.application());
                    leases.add(lease.orElse(Lease.none(l.application(), uid)));
                }
                yield new StreamQueryResult.LeaseList(leases);
            }
        };
    }

    private static QueryResult read(StoreView view, ShardRecord shard, StreamQuery.ReadRecords r) {
        long from = Math.max(r.fromSeq(), shard.trimmedBelowSeq());
        List<StoredRecord> records = view.records(shard.uid(), from, r.limit(), r.maxBytes());
        long next = records.isEmpty() ? from : records.get(records.size() - 1).seq() + 1;
        return new StreamQueryResult.Records(records, next, shard);
    }

    private static QueryResult noShard(long uid) {
        return new QueryResult.Error(ErrorCode.RESOURCE_NOT_FOUND, "Shard " + uid + " does not exist on this partition.");
    }
}
