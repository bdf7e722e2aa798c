package io.pontoon.core.stream;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionQuery;

import java.util.List;

/** Reads of the stream model's state in a partition; never replicated. */
public sealed interface StreamQuery extends PartitionQuery {

    default Model model() { return Model.STREAM; }

    record ShardState(long uid) implements StreamQuery {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Records from {@code fromSeq} (or the trim horizon, if later), ascending, at most {@code limit} and, after the
     * first, at most {@code maxBytes} of {@link StoredRecord#weight()}.
     */
    record ReadRecords(long uid, long fromSeq, int limit, long maxBytes) implements StreamQuery {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /** The sequence of the first record that arrived at or after {@code timestampMs} (AT_TIMESTAMP iterators). */
    record SeqAtTime(long uid, long timestampMs) implements StreamQuery {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    /** The shards this partition hosts, ascending by uid after {@code afterUid}. */
    record LocalShards(long afterUid, int limit) implements StreamQuery {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** An application's leases on the given shards (missing ones come back free, counter 0). */
    record Leases(String application, List<Long> uids) implements StreamQuery {
        public static final int TYPE_ID = 5;
        public Leases {
            uids = List.copyOf(uids);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** The shard's mark on a lane: the highest lane sequence it has taken (0 if none). */
    record LaneMark(long uid, int lane) implements StreamQuery {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }
}
