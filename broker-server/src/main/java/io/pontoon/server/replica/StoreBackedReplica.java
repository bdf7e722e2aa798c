package io.pontoon.server.replica;

import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.partition.PartitionStore;
import io.pontoon.raft.AppliedPosition;
import io.pontoon.raft.ReplicaApplication;
import io.pontoon.raft.StateDigest;
import io.pontoon.storage.rocksdb.RocksPartitionStore;
import io.pontoon.storage.rocksdb.RocksResources;

import java.nio.file.Path;

/**
 * The storage half of a replica: a RocksDB store in the node's data dir (outside Ratis's directories,
 * which Ratis replaces on snapshot install) with flush, checkpoint and restore. Subclasses add apply/query.
 */
abstract class StoreBackedReplica implements ReplicaApplication {
    private final Path dbDir;
    private final RocksResources resources;
    private volatile RocksPartitionStore store;

    StoreBackedReplica(Path dbDir, RocksResources resources) {
        this.dbDir = dbDir;
        this.resources = resources;
    }

    /** The open store; fails while the replica is paused for a snapshot install. */
    protected final PartitionStore store() {
        return openStore();
    }

    private RocksPartitionStore openStore() {
        RocksPartitionStore s = store;
        if (s == null) {
            throw new IllegalStateException("replica state is closed (starting, or installing a snapshot)");
        }
        return s;
    }

    @Override
    public final AppliedPosition open() {
        store = RocksPartitionStore.open(dbDir, resources);
        return position(store.meta());
    }

    @Override
    public final AppliedPosition flush() {
        PartitionStore s = store();
        s.flush();
        return position(s.meta());
    }

    @Override
    public final void checkpoint(Path target) {
        store().checkpoint(target);
    }

    @Override
    public final StateDigest digest() {
        RocksPartitionStore.Digest d = openStore().digest();
        return new StateDigest(d.appliedIndex(), d.sha256());
    }

    @Override
    public final AppliedPosition restore(Path checkpointDir) {
        close();
        store = RocksPartitionStore.restoreFrom(checkpointDir, dbDir, resources);
        return position(store.meta());
    }

    @Override
    public final void close() {
        RocksPartitionStore s = store;
        store = null;
        if (s != null) {
            s.close();
        }
    }

    private static AppliedPosition position(PartitionMeta meta) {
        return new AppliedPosition(meta.appliedTerm(), meta.appliedIndex());
    }
}
