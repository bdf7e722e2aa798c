package io.pontoon.core.queue;

import java.util.SortedMap;

/**
 * One stored message.
 *
 * @param seq                 position in the partition, strictly increasing in log order; the storage key
 * @param messageId           the SQS MessageId, derived from the log, never random
 * @param sentMs              effective (leader-stamped) time of the send
 * @param visibleAtMs         when the message next becomes receivable (delay or visibility timeout end)
 * @param receiveCount        ApproximateReceiveCount
 * @param firstReceiveMs      ApproximateFirstReceiveTimestamp, 0 until the first receive
 * @param receiptSeq          identifies the latest receive (its log position); a receipt handle naming an
 *                            older one is stale
 * @param lastReceiveMs       effective time of the latest receive, 0 until the first; ChangeMessageVisibility may not
 *                            extend visibility beyond 12 h from it (appended in record format v2)
 *
 * <p>No MD5s are stored (format v3): they are a check between client and server, computed by the node that
 * answers the request, not state every replica must compute and keep.
 */
public record MessageRecord(
        long queueId,
        long seq,
        String messageId,
        byte[] body,
        SortedMap<String, MessageAttribute> attributes,
        long sentMs,
        long visibleAtMs,
        int receiveCount,
        long firstReceiveMs,
        long receiptSeq,
        long lastReceiveMs) {
}
