package io.pontoon.core;

import io.pontoon.core.apply.ApplyContext;
import io.pontoon.core.apply.Ingest;
import io.pontoon.core.apply.MessageAck;
import io.pontoon.core.apply.MoveTasks;
import io.pontoon.core.apply.Outbox;
import io.pontoon.core.apply.MessageReceive;
import io.pontoon.core.apply.MessageSend;
import io.pontoon.core.apply.PartitionQueries;
import io.pontoon.core.apply.QueueAdmin;
import io.pontoon.core.apply.RetentionSweep;
import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.command.PartitionCommand.ChangeMessageVisibility;
import io.pontoon.core.command.PartitionCommand.CreateQueue;
import io.pontoon.core.command.PartitionCommand.DeleteMessages;
import io.pontoon.core.command.PartitionCommand.DeleteQueue;
import io.pontoon.core.command.PartitionCommand.PurgeQueue;
import io.pontoon.core.command.PartitionCommand.ReceiveMessages;
import io.pontoon.core.command.PartitionCommand.SendMessages;
import io.pontoon.core.command.PartitionCommand.SetQueueAttributes;
import io.pontoon.core.command.PartitionCommand.Tick;
import io.pontoon.core.command.PartitionCommand.IngestMessages;
import io.pontoon.core.command.PartitionCommand.SettleOutbox;
import io.pontoon.core.command.PartitionCommand.StartMoveTask;
import io.pontoon.core.command.PartitionCommand.CancelMoveTask;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.command.QueryResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.storage.PartitionStore;
import io.pontoon.core.storage.StoreTxn;
import io.pontoon.core.storage.StoreView;
import io.pontoon.core.validation.RequestValidator;

import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The deterministic state machine of one partition: a pure function of (stored state, commands, log index,
 * leader time). It reads no clock and no randomness; every id derives from the log. One log entry is one
 * store txn, committed together with the new applied position.
 */
public final class PartitionStateMachine {
    private static final String EPOCH_KEY = "partition/epoch";
    /** Cached epoch and the store it was read from; apply is single-threaded, so no synchronization. */
    private PartitionStore epochStore;
    private long epoch;
    private final int partitionId;
    private final CoreConfig config;

    public PartitionStateMachine(int partitionId, CoreConfig config) {
        if (partitionId < 0) {
            throw new IllegalArgumentException("partitionId must be >= 0");
        }
        this.partitionId = partitionId;
        this.config = config;
    }

    /**
     * Applies one log entry. Results are in command order. An index at or below the applied index was
     * already applied (restart replay) and returns an empty list without touching the store.
     * Time never runs backward: effectiveNow = max(leaderTimeMs, last effective now).
     */
    public List<PartitionResult> apply(PartitionStore store, List<PartitionCommand> commands, long index, long term, long leaderTimeMs) {
        return EntryFrame.apply(store, commands.size(), index, term, leaderTimeMs, (txn, before, now) -> {
            ApplyContext ctx = new ApplyContext(txn, partitionId, epoch(store, txn, now), config, index, now, before.nextSeq());
            List<PartitionResult> results = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                ctx.atCommand(i);
                results.add(applyOne(ctx, commands.get(i)));
                ctx.reindexTouchedGroups();
            }
            return new EntryFrame.Applied<>(results, ctx.nextSeq());
        });
    }

    /**
     * The partition's epoch: the effective time of its first applied entry, recorded by that entry. Read from
     * the store once per store instance (a snapshot install swaps the store) rather than on every entry.
     */
    private long epoch(PartitionStore store, StoreTxn txn, long nowMs) {
        if (epochStore == store) {
            return epoch;
        }
        Optional<byte[]> stored = txn.registryRecord(EPOCH_KEY);
        if (stored.isEmpty()) {
            // First entry: recorded in this txn; cached once a later entry reads it back committed.
            txn.putRegistryRecord(EPOCH_KEY, ByteBuffer.allocate(Long.BYTES).putLong(nowMs).array());
            return nowMs;
        }
        epoch = ByteBuffer.wrap(stored.get()).getLong();
        epochStore = store;
        return epoch;
    }

    /** Answers a read-only query from a consistent view at {@code nowMs} (the caller's notion of now). */
    public QueryResult query(StoreView view, PartitionQuery query, long nowMs) {
        try {
            RequestValidator.validate(query);
        } catch (BrokerException e) {
            return new QueryResult.Error(e.code(), e.getMessage());
        }
        return PartitionQueries.answer(view, query, nowMs, config);
    }

    /**
     * Re-validates first (before any write), so a command that skipped the server's checks becomes a
     * deterministic Error result rather than bad state; validation is pure, so every replica agrees.
     */
    private PartitionResult applyOne(ApplyContext ctx, PartitionCommand command) {
        try {
            RequestValidator.validate(command);
        } catch (BrokerException e) {
            return new PartitionResult.Error(e.code(), e.getMessage());
        }
        return switch (command) {
            case CreateQueue c -> QueueAdmin.create(ctx, c);
            case DeleteQueue d -> QueueAdmin.delete(ctx, d);
            case SetQueueAttributes s -> QueueAdmin.setAttributes(ctx, s);
            case PurgeQueue p -> QueueAdmin.purge(ctx, p);
            case SendMessages s -> MessageSend.send(ctx, s);
            case ReceiveMessages r -> MessageReceive.receive(ctx, r);
            case DeleteMessages d -> MessageAck.delete(ctx, d);
            case ChangeMessageVisibility c -> MessageAck.changeVisibility(ctx, c);
            case Tick t -> RetentionSweep.tick(ctx);
            case IngestMessages in -> Ingest.ingest(ctx, in);
            case SettleOutbox so -> Outbox.settle(ctx, so);
            case StartMoveTask st -> MoveTasks.start(ctx, st);
            case CancelMoveTask ct -> MoveTasks.cancel(ctx, ct);
            case PartitionCommand.TagQueue t -> QueueAdmin.tag(ctx, t);
            case PartitionCommand.UntagQueue u -> QueueAdmin.untag(ctx, u);
        };
    }
}
