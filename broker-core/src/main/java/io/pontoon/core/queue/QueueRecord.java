package io.pontoon.core.queue;

/**
 * A queue as stored in its partition.
 *
 * @param queueId        incarnation id, unique within the partition (the log index that created it), so a
 *                       queue deleted and re-created under the same name never sees the old messages or
 *                       accepts the old receipt handles
 * @param name           the queue name, unique within the cluster
 * @param messageCount   messages stored (visible + in flight + delayed), maintained by apply
 * @param lastPurgeMs    effective time of the last PurgeQueue, 0 if never (PurgeQueueInProgress window)
 */
public record QueueRecord(
        long queueId,
        String name,
        QueueAttributes attributes,
        long createdMs,
        long lastModifiedMs,
        long messageCount,
        long lastPurgeMs) {
}
