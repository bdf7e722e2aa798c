package io.pontoon.server.replica;

import io.pontoon.core.PartitionStateMachine;
import io.pontoon.core.command.CommandCodec;
import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.storage.StoreView;
import io.pontoon.storage.rocksdb.RocksResources;

import java.nio.file.Path;
import java.util.List;

/** One partition's replica: the core's queue state machine over a RocksDB store. */
public final class PartitionReplica extends StoreBackedReplica {

    /** Told after every applied entry, on the apply thread; used to wake long polls. Must not block. */
    public interface AppliedListener {
        void applied(int partition, List<PartitionCommand> commands, List<PartitionResult> results);
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
        List<PartitionCommand> commands = CommandCodec.decode(command);
        List<PartitionResult> results = machine.apply(store(), commands, index, term, leaderTimeMs);
        if (!results.isEmpty()) {
            listener.applied(partition, commands, results);
        }
        return replyWanted ? CommandCodec.encodeResults(results) : null;
    }

    /** Runs {@code reader} on a consistent view of the applied state (fails while a snapshot is being installed). */
    public <T> T read(java.util.function.Function<StoreView, T> reader) {
        try (StoreView view = store().view()) {
            return reader.apply(view);
        }
    }

    @Override
    public byte[] query(byte[] request, long nowMs) {
        PartitionQuery query = CommandCodec.decodeQuery(request);
        try (StoreView view = store().view()) {
            return CommandCodec.encodeQueryResult(machine.query(view, query, nowMs));
        }
    }
}
