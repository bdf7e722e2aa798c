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
 */
public record MessageRecord(
        long queueId,
        long seq,
        String messageId,
        byte[] body,
        SortedMap<String, MessageAttribute> attributes,
        String md5OfBody,
        String md5OfMessageAttributes,
        long sentMs,
        long visibleAtMs,
        int receiveCount,
        long firstReceiveMs,
        long receiptSeq) {
}
