package io.pontoon.server.replica;

import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.StoreView;
import io.pontoon.storage.rocksdb.RocksResources;

import java.nio.file.Path;
import java.util.List;

/** One partition's replica: the core's partition state machine (every model) over a RocksDB store. */
public final class PartitionReplica extends StoreBackedReplica {

    /** Told after every applied entry, on the apply thread; used to wake long polls and time apply. Must not block. */
    public interface AppliedListener {
        /** @param applyNanos how long the state machine took for this entry */
        void applied(int partition, List<PartitionCommand> commands, List<PartitionResult> results, long applyNanos);
    }

    private final int partition;
    private final PartitionStateMachine machine;
    private final AppliedListener listener;

    public PartitionReplica(int partition, PartitionStateMachine machine, Path dbDir, RocksResources resources, AppliedListener listener) {
        super(dbDir, resources);
        this.partition = partition;
        this.machine = machine;
        this.listener = listener;
    }

    @Override
    public byte[] apply(byte[] command, long index, long term, long leaderTimeMs, boolean replyWanted) {
        long startNs = System.nanoTime();
        List<PartitionCommand> commands = PartitionCodec.decode(command);
        List<PartitionResult> results = machine.apply(store(), commands, index, term, leaderTimeMs);
        if (!results.isEmpty()) {
            listener.applied(partition, commands, results, System.nanoTime() - startNs);
        }
        return replyWanted ? PartitionCodec.encodeResults(results) : null;
    }

    /** Runs {@code reader} on a consistent view of the applied state (fails while a snapshot is being installed). */
    public <T> T read(java.util.function.Function<StoreView, T> reader) {
        try (StoreView view = store().view()) {
            return reader.apply(view);
        }
    }

    @Override
    public byte[] query(byte[] request, long nowMs) {
        PartitionQuery query = PartitionCodec.decodeQuery(request);
        try (StoreView view = store().view()) {
            return PartitionCodec.encodeQueryResult(machine.query(view, query, nowMs));
        }
    }
}
