package io.pontoon.core.queue;

import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;

import java.nio.charset.StandardCharsets;
import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.AuxKeys;
import io.pontoon.core.partition.AuxTable;

import java.util.List;
import java.util.Optional;

/**
 * Tick: deletes retention-expired messages. Work per Tick is bounded by CoreConfig: at most
 * {@code retentionQueuesPerTick} queues visited and {@code retentionSweepBatch} messages deleted. A cursor
 * (last queue name fully swept) in the registry table makes successive Ticks walk all queues round-robin,
 * so a partition with many queues is covered over several Ticks rather than in one long apply.
 */
public final class RetentionSweep {
    static final String CURSOR_KEY = "partition/retention-cursor";

    private RetentionSweep() {
    }

    /** The queue model's share of a Tick: retention, expired dedup / receive-attempt records, running move tasks; returns what expired. */
    public static int tick(QueueContext ctx) {
        int expired = sweepRetention(ctx);
        expired += Expiry.sweep(ctx, Limits.MAX_EXPIRIES_SWEPT_PER_TICK);
        MoveTasks.step(ctx);
        return expired;
    }

    private static int sweepRetention(QueueContext ctx) {
        String cursor = ctx.txn().registryRecord(CURSOR_KEY).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        int budget = ctx.config().retentionSweepBatch();
        List<QueueRecord> queues = ctx.txn().queues("", cursor, ctx.config().retentionQueuesPerTick());
        String next = queues.isEmpty() ? "" : cursor;
        int deleted = 0;
        for (QueueRecord q : queues) {
            int n = sweepQueue(ctx, q, budget - deleted);
            deleted += n;
            if (deleted >= budget) {
                break; // this queue may have more: the cursor stays before it
            }
            next = q.name();
        }
        if (queues.size() < ctx.config().retentionQueuesPerTick() && deleted < budget) {
            next = ""; // reached the end: wrap around
        }
        ctx.txn().putRegistryRecord(CURSOR_KEY, next.getBytes(StandardCharsets.UTF_8));
        return deleted;
    }

    /**
     * A moved-in message's retention deadline passed: delete it if it is still there and still expired under
     * the queue's current retention; if the retention grew meanwhile, look again at the new deadline.
     */
    static boolean expireMoved(QueueContext ctx, byte[] movedKey) {
        long[] ids = AuxKeys.movedMessageIds(movedKey);
        String queueName = AuxKeys.movedMessageQueue(movedKey);
        Optional<QueueRecord> q = ctx.txn().queue(queueName).filter(x -> x.queueId() == ids[0]);
        Optional<MessageRecord> m = q.flatMap(x -> ctx.txn().message(x.queueId(), ids[1]));
        if (m.isEmpty()) {
            return false;
        }
        if (Messages.retentionExpired(m.get(), q.get(), ctx.nowMs())) {
            Messages.remove(ctx, q.get(), m.get());
            ctx.txn().putQueue(Messages.withMessageCount(q.get(), q.get().messageCount() - 1));
            return true;
        }
        watchMoved(ctx, q.get(), m.get());
        return false;
    }

    /** Makes sure a message whose SentTimestamp predates its seq is deleted when its retention ends. */
    static void watchMoved(QueueContext ctx, QueueRecord q, MessageRecord m) {
        long expiresAt = m.sentMs() + q.attributes().messageRetentionPeriodSeconds() * 1000L;
        Expiry.put(ctx.txn(), AuxTable.MOVED_MESSAGE, AuxKeys.movedMessage(q.name(), q.queueId(), m.seq()), expiresAt,
                new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).i64(expiresAt).toByteArray());
    }

    /** Deletes up to {@code limit} expired messages of one queue; oldest first, so it stops at the first live one. */
    private static int sweepQueue(QueueContext ctx, QueueRecord q, int limit) {
        int deleted = 0;
        for (MessageRecord m : ctx.txn().oldestMessages(q.queueId(), limit)) {
            if (!Messages.retentionExpired(m, q, ctx.nowMs())) {
                break;
            }
            Messages.remove(ctx, q, m);
            deleted++;
        }
        if (deleted > 0) {
            ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() - deleted));
        }
        return deleted;
    }
}
