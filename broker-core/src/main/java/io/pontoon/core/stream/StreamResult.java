package io.pontoon.core.stream;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionResult;

import java.util.List;

/** Results of {@link StreamCommand}s; a missing shard is a {@link PartitionResult.Error} (ResourceNotFoundException). */
public sealed interface StreamResult extends PartitionResult {

    default Model model() { return Model.STREAM; }

    /** CreateShard: the shard exists; its first possible sequence. */
    record ShardCreated(long startingSeq) implements StreamResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /** PutRecords: each record's sequence, in request order, and their arrival time. */
    record Put(List<Long> seqs, long arrivalMs) implements StreamResult {
        public static final int TYPE_ID = 2;
        public Put {
            seqs = List.copyOf(seqs);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** CloseShard, or a PutRecords that found the shard closed (nothing was appended): the shard's last sequence. */
    record ShardClosed(long endingSeq) implements StreamResult {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    /** TrimShard: the first sequence still held. */
    record Trimmed(long trimmedBelowSeq) implements StreamResult {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** UpdateLease: whether the write applied, and the lease as it now stands. */
    record LeaseUpdated(boolean applied, Lease lease) implements StreamResult {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }
}
