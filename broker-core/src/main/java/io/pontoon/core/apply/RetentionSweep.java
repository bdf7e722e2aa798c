package io.pontoon.core.apply;

import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;

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

    /** One Tick's housekeeping: retention, expired dedup / receive-attempt records, running move tasks. */
    public static PartitionResult tick(ApplyContext ctx) {
        PartitionResult.Ticked retention = sweepRetention(ctx);
        Expiry.sweep(ctx.txn(), ctx.nowMs(), io.pontoon.core.Limits.MAX_EXPIRIES_SWEPT_PER_TICK);
        MoveTasks.step(ctx);
        return retention;
    }

    private static PartitionResult.Ticked sweepRetention(ApplyContext ctx) {
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
        return new PartitionResult.Ticked(deleted);
    }

    /** Deletes up to {@code limit} expired messages of one queue; oldest first, so it stops at the first live one. */
    private static int sweepQueue(ApplyContext ctx, QueueRecord q, int limit) {
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
