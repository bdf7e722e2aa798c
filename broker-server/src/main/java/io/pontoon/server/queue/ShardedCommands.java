package io.pontoon.server.queue;

import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.FifoShards;
import io.pontoon.core.queue.ReceiptHandle;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.DeleteMessages;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.queue.QueueResult.BatchOutcome;
import io.pontoon.core.queue.QueueResult.EntryFailure;
import io.pontoon.core.queue.QueueResult.Sent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How the batch commands of a queue that spans several partitions (a high-throughput FIFO queue) split into
 * one command per partition, and how their results merge back. Sends go by message group
 * ({@link FifoShards}); deletes and visibility changes by the partition named in each receipt handle.
 * Entries keep their request order within each part, so a group's messages stay in send order.
 */
final class ShardedCommands {
    private ShardedCommands() {
    }

    static Map<Integer, PartitionCommand> sendByGroup(SendMessages send, List<Integer> shards) {
        return split(send.entries(), e -> shards.get(FifoShards.shardOf(e.groupId() == null ? "" : e.groupId(), shards.size())),
                entries -> new SendMessages(send.queueName(), entries));
    }

    static Map<Integer, PartitionCommand> deleteByHandle(DeleteMessages delete, List<Integer> shards) {
        return split(delete.entries(), e -> partitionOf(e.receiptHandle(), shards),
                entries -> new DeleteMessages(delete.queueName(), entries));
    }

    static Map<Integer, PartitionCommand> visibilityByHandle(ChangeMessageVisibility change, List<Integer> shards) {
        return split(change.entries(), e -> partitionOf(e.receiptHandle(), shards),
                entries -> new ChangeMessageVisibility(change.queueName(), entries));
    }

    static Sent mergeSent(List<PartitionResult> parts) {
        List<QueueResult.SendSuccess> ok = new ArrayList<>();
        List<EntryFailure> failed = new ArrayList<>();
        parts.forEach(p -> {
            Sent s = (Sent) p;
            ok.addAll(s.successful());
            failed.addAll(s.failed());
        });
        return new Sent(ok, failed);
    }

    static BatchOutcome mergeOutcomes(List<PartitionResult> parts) {
        List<String> ok = new ArrayList<>();
        List<EntryFailure> failed = new ArrayList<>();
        parts.forEach(p -> {
            BatchOutcome b = (BatchOutcome) p;
            ok.addAll(b.successfulIds());
            failed.addAll(b.failed());
        });
        return new BatchOutcome(ok, failed);
    }

    /** A handle naming a partition the queue does not span goes to the first shard, which finds it stale. */
    private static int partitionOf(String receiptHandle, List<Integer> shards) {
        int p = ReceiptHandle.parse(receiptHandle).partitionId();
        return shards.contains(p) ? p : shards.get(0);
    }

    private static <E> Map<Integer, PartitionCommand> split(List<E> entries, Function<E, Integer> partitionOf,
                                                          Function<List<E>, PartitionCommand> command) {
        Map<Integer, List<E>> parts = new LinkedHashMap<>();
        for (E e : entries) {
            parts.computeIfAbsent(partitionOf.apply(e), k -> new ArrayList<>()).add(e);
        }
        Map<Integer, PartitionCommand> out = new LinkedHashMap<>();
        parts.forEach((p, list) -> out.put(p, command.apply(list)));
        return out;
    }
}
