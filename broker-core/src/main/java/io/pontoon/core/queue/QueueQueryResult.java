package io.pontoon.core.queue;

import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.QueryResult;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Answers to {@link QueueQuery}. */
public sealed interface QueueQueryResult extends QueryResult {

    default Model model() { return Model.QUEUE; }

    record QueueUrl(String queueUrl) implements QueueQueryResult {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /** SQS attribute name -> value, as GetQueueAttributes returns them. */
    record Attributes(SortedMap<String, String> attributes) implements QueueQueryResult {
        public static final int TYPE_ID = 3;
        public Attributes {
            attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        }
        public int typeId() { return TYPE_ID; }
    }

    /** @param nextToken null when there are no more queues */
    record QueueList(List<String> queueUrls, String nextToken) implements QueueQueryResult {
        public static final int TYPE_ID = 4;
        public QueueList {
            queueUrls = List.copyOf(queueUrls);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Approximate counts (index scans are capped by CoreConfig.statsScanCap).
     *
     * @param oldestMessageAgeMs age of the oldest stored message, 0 when empty
     * @param receivableNow      a receive now would find a message (on FIFO queues: an unlocked group); exact,
     *                           unlike the counts, so a parked long poll can rely on it
     */
    record Stats(long visible, long inFlight, long delayed, long oldestMessageAgeMs, boolean receivableNow) implements QueueQueryResult {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }

    record Flag(boolean value) implements QueueQueryResult {
        public static final int TYPE_ID = 9;
        public int typeId() { return TYPE_ID; }
    }

    record QueueNames(List<String> names) implements QueueQueryResult {
        public static final int TYPE_ID = 6;
        public QueueNames {
            names = List.copyOf(names);
        }
        public int typeId() { return TYPE_ID; }
    }

    record MoveTasks(List<MoveTaskInfo> tasks) implements QueueQueryResult {
        public static final int TYPE_ID = 7;
        public MoveTasks {
            tasks = List.copyOf(tasks);
        }
        public int typeId() { return TYPE_ID; }
    }

    record Outbox(List<io.pontoon.core.queue.QueueCommand.MovedMessage> entries) implements QueueQueryResult {
        public static final int TYPE_ID = 8;
        public Outbox {
            entries = List.copyOf(entries);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** ListQueueTags. */
    record Tags(SortedMap<String, String> tags) implements QueueQueryResult {
        public static final int TYPE_ID = 10;
        public Tags {
            tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * @param entries outbox entries (counted up to a cap; {@code capped} says the count stopped there)
     * @param bytes   their encoded size
     */
    record OutboxSize(long entries, long bytes, boolean capped) implements QueueQueryResult {
        public static final int TYPE_ID = 11;
        public int typeId() { return TYPE_ID; }
    }

    /** The content of the messages a {@link QueueQuery.ReadPayloads} named that still exist, by seq. */
    record Payloads(SortedMap<Long, MessagePayload> bySeq) implements QueueQueryResult {
        public static final int TYPE_ID = 12;
        public Payloads {
            bySeq = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(bySeq));
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * One message move task as ListMessageMoveTasks reports it.
     *
     * @param taskHandle       only while RUNNING (AWS), else null
     * @param destinationQueue null = back to each message's dead-letter source
     * @param failureReason    null unless FAILED
     */
    record MoveTaskInfo(String taskHandle, String status, String sourceQueue, String destinationQueue, int maxPerSecond,
                        long moved, long toMove, String failureReason, long startedMs) {
    }
}
