package io.pontoon.core.queue;

/**
 * One stored message's state: everything but its content ({@link MessagePayload}), which is stored apart
 * under the same (queueId, seq) so that the frequent rewrites of this record (every receive, every visibility
 * change) never copy the body.
 *
 * @param seq                 position in the partition, strictly increasing in log order; the storage key
 * @param messageId           the SQS MessageId, derived from the log, never random
 * @param payloadBytes        {@link MessagePayload#sizeBytes()} of its content, so that work and responses are bounded
 *                            by bytes without reading the content
 * @param sentMs              effective (leader-stamped) time of the send
 * @param visibleAtMs         when the message next becomes receivable (delay or visibility timeout end); on a FIFO queue
 *                            a never-received message stores its send time here and the queue's current
 *                            DelaySeconds applies on top (FIFO queue delays are retroactive, as in AWS)
 * @param receiveCount        ApproximateReceiveCount
 * @param firstReceiveMs      ApproximateFirstReceiveTimestamp, 0 until the first receive
 * @param receiptSeq          identifies the latest receive (its log position); a receipt handle naming an
 *                            older one is stale
 * @param lastReceiveMs       effective time of the latest receive, 0 until the first; ChangeMessageVisibility may not
 *                            extend visibility beyond 12 h from it (appended in record format v2)
 *
 * @param groupId             MessageGroupId (required on FIFO queues, optional on standard ones), or null
 * @param deduplicationId     the FIFO MessageDeduplicationId in effect for this message (explicit or the body's
 *                            SHA-256), or null
 * @param deadLetterSource    the queue this message was dead-lettered from, or null; a redrive with no
 *                            destination sends it back there (format v4 appends these three)
 *
 * <p>No MD5s are stored (format v3): they are a check between client and server, computed by the node that
 * answers the request, not state every replica must compute and keep. Format v5 moved the body and attributes
 * out into the payload.
 */
public record MessageRecord(
        long queueId,
        long seq,
        String messageId,
        int payloadBytes,
        long sentMs,
        long visibleAtMs,
        int receiveCount,
        long firstReceiveMs,
        long receiptSeq,
        long lastReceiveMs,
        String groupId,
        String deduplicationId,
        String deadLetterSource) {

    /** A message as first stored: not yet received. */
    public static MessageRecord sent(long queueId, long seq, String messageId, MessagePayload payload, long sentMs, long visibleAtMs,
                                     String groupId, String deduplicationId) {
        return new MessageRecord(queueId, seq, messageId, payloadSize(payload), sentMs, visibleAtMs, 0, 0, 0, 0,
                groupId, deduplicationId, null);
    }

    /** A payload's size as a record keeps it; a payload is at most a few MiB, far below the int range. */
    public static int payloadSize(MessagePayload payload) {
        return (int) Math.min(Integer.MAX_VALUE, payload.sizeBytes());
    }

    /** The FIFO SequenceNumber: the partition seq, zero-padded so that it also sorts as text. */
    public String sequenceNumber() {
        return String.format("%020d", seq);
    }
}
