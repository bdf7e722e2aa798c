package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.queue.QueueCommand.CreateQueue;
import io.pontoon.core.queue.QueueCommand.DeleteQueue;
import io.pontoon.core.queue.QueueCommand.PurgeQueue;
import io.pontoon.core.queue.QueueCommand.SetQueueAttributes;
import io.pontoon.core.queue.QueueCommand.TagQueue;
import io.pontoon.core.queue.QueueCommand.UntagQueue;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.QueueAttributeNames;

import io.pontoon.core.partition.AuxTable;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** CreateQueue, DeleteQueue, SetQueueAttributes, PurgeQueue. */
public final class QueueAdmin {
    private QueueAdmin() {
    }

    /**
     * Idempotent when the attributes are identical (AWS); otherwise QueueAlreadyExists. Tags are not attributes: a
     * repeated create neither compares nor changes them (TagQueue does).
     */
    public static PartitionResult create(QueueContext ctx, CreateQueue cmd) {
        Optional<QueueRecord> existing = ctx.txn().queue(cmd.name());
        if (existing.isPresent()) {
            return existing.get().attributes().withTags(Map.of()).equals(cmd.attributes().withTags(Map.of()))
                    ? new QueueResult.QueueCreated(QueueUrls.of(cmd.name()))
                    : new PartitionResult.Error(ErrorCode.QUEUE_ALREADY_EXISTS,
                    "A queue already exists with the same name and a different value for attribute(s)");
        }
        long now = ctx.nowMs();
        ctx.txn().putQueue(new QueueRecord(ctx.newIncarnationId(), cmd.name(), cmd.attributes(), now, now, 0, 0));
        return new QueueResult.QueueCreated(QueueUrls.of(cmd.name()));
    }

    public static PartitionResult delete(QueueContext ctx, DeleteQueue cmd) {
        Optional<QueueRecord> q = ctx.txn().queue(cmd.name());
        if (q.isEmpty()) {
            return noSuchQueue();
        }
        ctx.txn().deleteQueue(cmd.name());
        dropIncarnation(ctx, q.get().queueId());
        MoveTasks.forget(ctx, cmd.name());
        return new PartitionResult.Ok();
    }

    public static PartitionResult setAttributes(QueueContext ctx, SetQueueAttributes cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.name());
        if (found.isEmpty()) {
            return noSuchQueue();
        }
        QueueRecord q = found.get();
        QueueAttributes updated;
        try {
            // Stateful: the request may be valid alone but not with the stored settings (e.g. queue scope with perMessageGroupId).
            updated = QueueAttributeNames.apply(q.name(), q.attributes(), cmd.attributes(), false);
        } catch (io.pontoon.core.error.BrokerException e) {
            return new PartitionResult.Error(e.code(), e.getMessage());
        }
        ctx.txn().putQueue(new QueueRecord(q.queueId(), q.name(), updated, q.createdMs(), ctx.nowMs(), q.messageCount(), q.lastPurgeMs()));
        return new PartitionResult.Ok();
    }

    /** TagQueue: new keys are added and existing ones overwritten, up to 50 tags in all. */
    public static PartitionResult tag(QueueContext ctx, TagQueue cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.name());
        if (found.isEmpty()) {
            return noSuchQueue();
        }
        QueueRecord q = found.get();
        Map<String, String> tags = new TreeMap<>(q.attributes().tags());
        tags.putAll(cmd.tags());
        if (tags.size() > Limits.MAX_TAGS) {
            return new PartitionResult.Error(ErrorCode.INVALID_PARAMETER_VALUE, "Too many tags: the queue would have " + tags.size()
                    + ". A queue can have at most " + Limits.MAX_TAGS + " tags.");
        }
        putTags(ctx, q, tags);
        return new PartitionResult.Ok();
    }

    /** UntagQueue: keys the queue does not have are ignored. */
    public static PartitionResult untag(QueueContext ctx, UntagQueue cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.name());
        if (found.isEmpty()) {
            return noSuchQueue();
        }
        Map<String, String> tags = new TreeMap<>(found.get().attributes().tags());
        cmd.tagKeys().forEach(tags::remove);
        putTags(ctx, found.get(), tags);
        return new PartitionResult.Ok();
    }

    /** Tags are metadata, not attributes: changing them leaves LastModifiedTimestamp alone (as in AWS). */
    private static void putTags(QueueContext ctx, QueueRecord q, Map<String, String> tags) {
        ctx.txn().putQueue(new QueueRecord(q.queueId(), q.name(), q.attributes().withTags(tags), q.createdMs(), q.lastModifiedMs(),
                q.messageCount(), q.lastPurgeMs()));
    }

    /** A new incarnation keeps name, attributes and creation time; the old one's messages are dropped in O(1). */
    public static PartitionResult purge(QueueContext ctx, PurgeQueue cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.name());
        if (found.isEmpty()) {
            return noSuchQueue();
        }
        QueueRecord q = found.get();
        if (q.lastPurgeMs() != 0 && ctx.nowMs() - q.lastPurgeMs() < Limits.PURGE_COOLDOWN_MS) {
            return new PartitionResult.Error(ErrorCode.PURGE_QUEUE_IN_PROGRESS,
                    "Only one PurgeQueue operation on " + q.name() + " is allowed every 60 seconds.");
        }
        ctx.txn().putQueue(new QueueRecord(ctx.newIncarnationId(), q.name(), q.attributes(), q.createdMs(), q.lastModifiedMs(), 0, ctx.nowMs()));
        dropIncarnation(ctx, q.queueId());
        return new PartitionResult.Ok();
    }

    /**
     * Drops everything keyed by a queue incarnation in O(1) range deletes. Dedup and receive-attempt
     * records go too (a purge starts a fresh queue); their EXPIRY entries find nothing and just vanish.
     * Move tasks are keyed by name, not incarnation: after a purge they stay listed and a running one fails at
     * its next step; DeleteQueue forgets them.
     */
    private static void dropIncarnation(QueueContext ctx, long queueId) {
        ctx.txn().dropMessages(queueId);
        ctx.txn().dropMessages(FifoGroups.waitingSpace(queueId)); // a FIFO queue's index of waiting groups
        byte[] prefix = io.pontoon.core.queue.AuxKeys.queuePrefix(queueId);
        for (var table : List.of(AuxTable.FIFO_GROUP, AuxTable.GROUP_MEMBER, AuxTable.DEDUP, AuxTable.RECEIVE_ATTEMPT)) {
            ctx.txn().dropAux(table, prefix);
        }
    }

    static PartitionResult.Error noSuchQueue() {
        return new PartitionResult.Error(ErrorCode.NON_EXISTENT_QUEUE, "The specified queue does not exist.");
    }
}
