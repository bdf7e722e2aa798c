package io.pontoon.core.stream;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.QueryResult;

import java.util.List;

/** Answers to {@link StreamQuery}; a missing shard is a {@link QueryResult.Error} (ResourceNotFoundException). */
public sealed interface StreamQueryResult extends QueryResult {

    default Model model() { return Model.STREAM; }

    record ShardInfo(ShardRecord shard) implements StreamQueryResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * @param nextSeq where the next read continues: after the last record returned, or where this one started
     * @param shard   the shard as it stood when read (is it closed, and is {@code nextSeq} past its end?)
     */
    record Records(List<StoredRecord> records, long nextSeq, ShardRecord shard) implements StreamQueryResult {
        public static final int TYPE_ID = 2;
        public Records {
            records = List.copyOf(records);
        }
        public int typeId() { return TYPE_ID; }

        /** The reader has every record of a closed shard (it never takes another): the end of the shard. */
        public boolean atShardEnd() {
            return shard.closed() && nextSeq > shard.lastSeq();
        }
    }

    /** The sequence found; {@code lastSeq + 1} of the shard when no record arrived at or after the time. */
    record SeqAt(long seq) implements StreamQueryResult {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    record Shards(List<ShardRecord> shards) implements StreamQueryResult {
        public static final int TYPE_ID = 4;
        public Shards {
            shards = List.copyOf(shards);
        }
        public int typeId() { return TYPE_ID; }
    }

    record LeaseList(List<Lease> leases) implements StreamQueryResult {
        public static final int TYPE_ID = 5;
        public LeaseList {
            leases = List.copyOf(leases);
        }
        public int typeId() { return TYPE_ID; }
    }

    record Mark(long mark) implements StreamQueryResult {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }
}
