package io.pontoon.core.partition;

import io.pontoon.core.CoreConfig;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deterministic state machine of one partition: a pure function of (stored state, commands, log index,
 * leader time). It reads no clock and no randomness; every id derives from the log. One log entry is one
 * store txn, committed together with the new applied position. Each command goes to its model
 * ({@link PartitionModel}); a Tick goes to every model.
 */
public final class PartitionStateMachine {
    private static final String EPOCH_KEY = "partition/epoch";
    /** Cached epoch and the store it was read from; apply is single-threaded, so no synchronization. */
    private PartitionStore epochStore;
    private long epoch;
    private final int partitionId;
    private final Map<Model, PartitionModel> models = new EnumMap<>(Model.class);

    public PartitionStateMachine(int partitionId, CoreConfig config) {
        if (partitionId < 0) {
            throw new IllegalArgumentException("partitionId must be >= 0");
        }
        this.partitionId = partitionId;
        for (PartitionModel m : Models.all(config)) {
            models.put(m.model(), m);
        }
    }

    /**
     * Applies one log entry. Results are in command order. An index at or below the applied index was
     * already applied (restart replay) and returns an empty list without touching the store.
     * Time never runs backward: effectiveNow = max(leaderTimeMs, last effective now).
     */
    public List<PartitionResult> apply(PartitionStore store, List<? extends PartitionCommand> commands, long index, long term, long leaderTimeMs) {
        return EntryFrame.apply(store, commands.size(), index, term, leaderTimeMs, (txn, before, now) -> {
            EntryContext ctx = new EntryContext(txn, partitionId, epoch(store, txn, now), index, now, before.nextSeq());
            Map<Model, PartitionModel.EntryApplier> appliers = new EnumMap<>(Model.class);
            List<PartitionResult> results = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                ctx.atCommand(i);
                PartitionCommand command = commands.get(i);
                results.add(command instanceof Tick ? tick(ctx, appliers) : applier(ctx, appliers, command.model()).apply(command));
                appliers.values().forEach(PartitionModel.EntryApplier::afterCommand);
            }
            return new EntryFrame.Applied<>(results, ctx.nextSeq());
        });
    }

    private PartitionResult tick(EntryContext ctx, Map<Model, PartitionModel.EntryApplier> appliers) {
        int expired = 0;
        for (Model m : models.keySet()) {
            expired += applier(ctx, appliers, m).tick();
        }
        return new PartitionResult.Ticked(expired);
    }

    private PartitionModel.EntryApplier applier(EntryContext ctx, Map<Model, PartitionModel.EntryApplier> appliers, Model model) {
        return appliers.computeIfAbsent(model, m -> model(m).begin(ctx));
    }

    private PartitionModel model(Model m) {
        PartitionModel model = models.get(m);
        if (model == null) {
            throw new IllegalArgumentException("no model " + m + " in a partition");
        }
        return model;
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
        return model(query.model()).query(view, query, nowMs);
    }
}
