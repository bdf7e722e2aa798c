package io.pontoon.server.replica;

import io.pontoon.core.controller.ControllerCodec;
import io.pontoon.core.controller.ControllerStateMachine;
import io.pontoon.core.partition.StoreView;
import io.pontoon.storage.rocksdb.RocksResources;

import java.nio.file.Path;

/** The controller group's replica: the placement table (queue -> partition) over a RocksDB store. */
public final class ControllerReplica extends StoreBackedReplica {
    private final ControllerStateMachine machine;

    public ControllerReplica(ControllerStateMachine machine, Path dbDir, RocksResources resources) {
        super(dbDir, resources);
        this.machine = machine;
    }

    @Override
    public byte[] apply(byte[] command, long index, long term, long leaderTimeMs, boolean replyWanted) {
        var results = machine.apply(store(), ControllerCodec.decode(command), index, term, leaderTimeMs);
        return replyWanted ? ControllerCodec.encodeResults(results) : null;
    }

    @Override
    public byte[] query(byte[] request, long nowMs) {
        try (StoreView view = store().view()) {
            return ControllerCodec.encodeQueryResult(machine.query(view, ControllerCodec.decodeQuery(request), nowMs));
        }
    }
}
