package io.pontoon.server.stream;

import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.stream.ShardRecord;
import io.pontoon.core.stream.StreamQuery;
import io.pontoon.core.stream.StreamQueryResult;
import io.pontoon.server.partition.PartitionAccess;

/**
 * Reads of shards from this node's replicas of their partitions: no log entry and no round trip. A replica holds a
 * prefix of its partition's log, so every reader sees each shard's records in the same order; one that is behind
 * answers with fewer of the newest records, and the next read continues where this one ended.
 */
final class ShardReader {
    private final PartitionAccess partitions;

    ShardReader(PartitionAccess partitions) {
        this.partitions = partitions;
    }

    ShardRecord state(ShardInfo shard) {
        return expect(ask(shard, new StreamQuery.ShardState(shard.uid())), StreamQueryResult.ShardInfo.class, shard).shard();
    }

    StreamQueryResult.Records records(ShardInfo shard, long fromSeq, int limit, long maxBytes) {
        return expect(ask(shard, new StreamQuery.ReadRecords(shard.uid(), fromSeq, limit, maxBytes)), StreamQueryResult.Records.class, shard);
    }

    long seqAt(ShardInfo shard, long timestampMs) {
        return expect(ask(shard, new StreamQuery.SeqAtTime(shard.uid(), timestampMs)), StreamQueryResult.SeqAt.class, shard).seq();
    }

    QueryResult ask(ShardInfo shard, StreamQuery query) {
        try {
            return partitions.localRead(shard.partition(), query);
        } catch (RuntimeException e) {
            throw new BrokerException(ErrorCode.SERVICE_UNAVAILABLE, "this node's replica of partition " + shard.partition()
                    + " cannot be read right now (" + e.getMessage() + "); retry, possibly on another node");
        }
    }

    static <T> T expect(QueryResult r, Class<T> type, ShardInfo shard) {
        if (type.isInstance(r)) {
            return type.cast(r);
        }
        if (r instanceof QueryResult.Error e) {
            if (e.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                // the shard exists in the controller but not (yet) on this replica: its creation is under way here (retryable)
                throw new BrokerException(ErrorCode.SERVICE_UNAVAILABLE, "Shard " + shard.shardId() + " is not on this node's replica yet; retry shortly.");
            }
            throw new BrokerException(e.code(), e.message());
        }
        throw new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected answer " + r);
    }
}
