package io.pontoon.core.command;

import io.pontoon.core.error.ErrorCode;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Answers to {@link PartitionQuery}. */
public sealed interface QueryResult {

    int typeId();

    record Error(ErrorCode code, String message) implements QueryResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    record QueueUrl(String queueUrl) implements QueryResult {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /** SQS attribute name -> value, as GetQueueAttributes returns them. */
    record Attributes(SortedMap<String, String> attributes) implements QueryResult {
        public static final int TYPE_ID = 3;
        public Attributes {
            attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        }
        public int typeId() { return TYPE_ID; }
    }

    /** @param nextToken null when there are no more queues */
    record QueueList(List<String> queueUrls, String nextToken) implements QueryResult {
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
     */
    record Stats(long visible, long inFlight, long delayed, long oldestMessageAgeMs) implements QueryResult {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }
}
