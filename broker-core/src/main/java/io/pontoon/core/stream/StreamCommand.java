package io.pontoon.core.stream;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionCommand;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The stream model's commands in a partition's log (model id 2). A shard lives on one partition for life; the
 * controller decides which, and the node that serves a request sends each shard's commands to its partition. Type ids
 * are fixed forever (broker-core/README.md).
 */
public sealed interface StreamCommand extends PartitionCommand {

    default Model model() { return Model.STREAM; }

    /** Creates the shard on this partition; a repeat with the same identity is a no-op (the orchestrator retries). */
    record CreateShard(long uid, String streamName, String shardId, BigInteger startingHashKey, BigInteger endingHashKey)
            implements StreamCommand {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Appends records to an open shard: each gets the partition's next sequence, and the entry's leader time as its
     * arrival time. On a closed shard nothing is appended and the result says so (the server routes them to a child).
     *
     * @param minSeq the records' sequences must exceed it (-1: no bound): the ending sequence of the shard's parents, or
     *               the producer's SequenceNumberForOrdering, so a partition key's sequences keep growing across a reshard
     */
    record PutRecords(long uid, List<RecordEntry> records, long minSeq) implements StreamCommand {
        public static final int TYPE_ID = 2;
        public PutRecords {
            records = List.copyOf(records);
        }
        public PutRecords(long uid, List<RecordEntry> records) {
            this(uid, records, -1);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** Closes the shard for writes at its last sequence (a split or merge made its children); idempotent. */
    record CloseShard(long uid) implements StreamCommand {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Deletes the records that arrived before {@code trimBeforeMs} (retention), with range deletes: the cost does not
     * depend on how many. The partition's leader proposes it from the stream's retention period.
     */
    record TrimShard(long uid, long trimBeforeMs) implements StreamCommand {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** Deletes the shard, its records and its leases (DeleteStream); idempotent. */
    record DeleteShard(long uid) implements StreamCommand {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * A conditional write of a consumer application's lease on the shard: it applies only if the lease's counter is
     * still {@code expectedCounter} and it is free or held by {@code expectedOwner}. Then the lease goes to
     * {@code newOwner} (null releases it) for {@code durationMs} of leader time, with {@code checkpoint} if not null.
     * Take, renew, steal, checkpoint and release are all this one command.
     */
    record UpdateLease(long uid, String application, String expectedOwner, long expectedCounter, String newOwner, long durationMs,
                       String checkpoint) implements StreamCommand {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * A put from another model's fan-out (a topic delivering into a stream): {@code put}'s records, each with its
     * sequence on the source's lane. The shard keeps one mark per lane and skips records at or below it, and below
     * {@code floor} (the final marks of its closed parents), so a resend after a failover is not appended twice.
     * Lane records of one shard arrive in lane order.
     */
    record PutLaneRecords(PutRecords put, int lane, long floor, List<Long> laneSeqs) implements StreamCommand {
        public static final int TYPE_ID = 7;
        public PutLaneRecords {
            laneSeqs = List.copyOf(laneSeqs);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** One record to append: its partition key and data (compares by value). */
    record RecordEntry(String partitionKey, byte[] data) {
        public long bytes() {
            return data.length + io.pontoon.core.codec.Utf8.length(partitionKey);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RecordEntry r && r.partitionKey.equals(partitionKey) && Arrays.equals(r.data, data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(partitionKey, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "RecordEntry[" + partitionKey + ", " + data.length + " bytes]";
        }
    }
}
