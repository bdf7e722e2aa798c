package io.pontoon.core.queue;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionQuery;

import java.util.List;

/** Read-only requests answered from a {@link io.pontoon.core.partition.StoreView}, never replicated. */
public sealed interface QueueQuery extends PartitionQuery {

    default Model model() { return Model.QUEUE; }

    record GetQueueUrl(String name) implements QueueQuery {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /** @param attributeNames SQS names, "All" for every attribute; empty returns nothing (as AWS) */
    record GetQueueAttributes(String name, List<String> attributeNames) implements QueueQuery {
        public static final int TYPE_ID = 2;
        public GetQueueAttributes {
            attributeNames = List.copyOf(attributeNames);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * @param prefix     queue name prefix, "" for all
     * @param nextToken  null to start; else the token of the previous page
     * @param maxResults null = up to 1000 with no pagination token (AWS behaviour without MaxResults)
     */
    record ListQueues(String prefix, String nextToken, Integer maxResults) implements QueueQuery {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    /** Counts for metrics. */
    record QueueStats(String name) implements QueueQuery {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** ListDeadLetterSourceQueues, answered per partition: queues here whose RedrivePolicy targets {@code deadLetterQueue}. */
    record DeadLetterSources(String deadLetterQueue) implements QueueQuery {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }

    /** ListMessageMoveTasks: the most recent tasks of {@code sourceQueue}, newest first. */
    record ListMoveTasks(String sourceQueue, int maxResults) implements QueueQuery {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The oldest outbox entries, for the forwarder that delivers them: at most {@code limit} entries and, after the
     * first, no more than {@code maxBytes} of message content, so that the IngestMessages built from them fits in
     * one log entry whatever the message sizes.
     */
    record ReadOutbox(int limit, long maxBytes) implements QueueQuery {
        public static final int TYPE_ID = 7;
        public ReadOutbox(int limit) {
            this(limit, Long.MAX_VALUE);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Would a receive find a message now (on FIFO queues: an unlocked group)? One index read: parked long
     * polls ask it on every wake-up, so it must stay far cheaper than {@link QueueStats}.
     */
    record Receivable(String name) implements QueueQuery {
        public static final int TYPE_ID = 8;
        public int typeId() { return TYPE_ID; }
    }

    /** ListQueueTags. */
    record ListQueueTags(String name) implements QueueQuery {
        public static final int TYPE_ID = 9;
        public int typeId() { return TYPE_ID; }
    }

    /** Outbox size, for metrics and the forwarder's logs: entries, content bytes and the oldest entry's age (bounded scan). */
    record OutboxStats() implements QueueQuery {
        public static final int TYPE_ID = 10;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The content of messages a receive took, read at the leader when the forwarding node's replica lags behind
     * the receive (the receive's log entry names the messages, not their content). At most
     * {@link io.pontoon.core.Limits#MAX_RECEIVE_MESSAGES} seqs; the caller splits them so that the answer stays
     * within {@link io.pontoon.core.Limits#MAX_READ_REPLY_BYTES}.
     */
    record ReadPayloads(long queueId, List<Long> seqs) implements QueueQuery {
        public static final int TYPE_ID = 11;
        public ReadPayloads {
            seqs = List.copyOf(seqs);
        }
        public int typeId() { return TYPE_ID; }
    }
}
