package io.pontoon.raft;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The Ratis state machine of one group: a thin adapter between Ratis and a {@link ReplicaApplication}.
 *
 * <ul>
 *   <li>Leader time: {@link #startTransaction} wraps the client's command in an {@link Envelope} stamped
 *       with the leader's clock; apply passes that time on, so replicas never read their own clocks.</li>
 *   <li>Applied position: the application persists it with the data; Ratis's updater starts after the latest
 *       checkpoint and the application ignores entries it already holds, so only the unapplied suffix takes
 *       effect after a restart.</li>
 *   <li>Snapshots: {@link #takeSnapshot} flushes, then checkpoints into the state-machine dir; a follower
 *       that installs one from the leader is {@link #pause() paused} (state closed) and
 *       {@link #reinitialize() reinitialized} from the installed checkpoint.</li>
 *   <li>An exception from apply is thrown to Ratis, which closes the server: the node halts rather than
 *       diverges.</li>
 * </ul>
 */
final class PontoonStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(PontoonStateMachine.class);

    private final ReplicaGroupId group;
    private final ReplicaApplication app;
    private final LongSupplier clockMs;
    private final GroupEvents events;
    private final CheckpointStorage storage = new CheckpointStorage();
    private final AppliedIndexWaiters appliedWaiters = new AppliedIndexWaiters();
    private static final byte[] NO_REPLY = new byte[0];

    PontoonStateMachine(ReplicaGroupId group, ReplicaApplication app, LongSupplier clockMs, GroupEvents events) {
        this.group = group;
        this.app = app;
        this.clockMs = clockMs;
        this.events = events;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::openState);
    }

    /** Opens the live state; if it is older than the newest checkpoint (e.g. its dir was lost), restores that. */
    private void openState() throws IOException {
        AppliedPosition position = app.open();
        SnapshotInfo snapshot = storage.latest();
        if (snapshot != null && position.index() < snapshot.getIndex()) {
            LOG.warn("{}: live state at {} is behind checkpoint {}; restoring the checkpoint", group, position, snapshot.getTermIndex());
            app.close();
            CheckpointStorage.removeDigestFiles(storage.dirOf(snapshot));
            app.restore(storage.dirOf(snapshot));
        }
        // Ratis starts applying after the latest snapshot; entries up to the application's own position are
        // skipped by the application. lastApplied must start at the snapshot so it only ever increases.
        setLastAppliedTermIndex(snapshot == null ? TermIndex.valueOf(0, -1) : snapshot.getTermIndex());
        appliedWaiters.applied(Math.max(position.index(), snapshot == null ? -1 : snapshot.getIndex()));
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return storage.latest();
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) {
        ByteString header = UnsafeByteOperations.unsafeWrap(Envelope.header(clockMs.getAsLong()));
        return TransactionContext.newBuilder()
                .setStateMachine(this)
                .setClientRequest(request)
                .setLogData(header.concat(request.getMessage().getContent()))
                .build();
    }

    /**
     * Only the leader that holds the client's request builds a reply ({@code getClientRequest() != null} there, null
     * on followers and in replay): Ratis keeps every applied entry's reply in its retry cache, on every replica, so
     * replies nobody reads would cost heap on every node for nothing.
     */
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] reply;
        try {
            Envelope envelope = Envelope.decode(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            boolean replyWanted = trx.getClientRequest() != null;
            reply = app.apply(envelope.command(), entry.getIndex(), entry.getTerm(), envelope.leaderTimeMs(), replyWanted);
        } catch (RuntimeException | Error e) {
            LOG.error("{}: apply of index {} failed; halting this group", group, entry.getIndex(), e);
            events.fatal(group, e);
            throw e;
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        appliedWaiters.applied(entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply == null ? NO_REPLY : reply)));
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        appliedWaiters.applied(index); // configuration and no-op entries advance the applied index too
    }

    /** Completes once this replica has applied {@code index} (see RaftNode#awaitApplied). */
    CompletableFuture<Void> awaitApplied(long index) {
        return appliedWaiters.await(index);
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            byte[] answer = app.query(request.getContent().toByteArray(), clockMs.getAsLong());
            return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(answer)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    StateDigest digest() {
        return app.digest();
    }

    /** A read of this replica's applied state without going through Raft (may be stale). */
    byte[] localQuery(byte[] request) {
        return app.query(request, clockMs.getAsLong());
    }

    @Override
    public long takeSnapshot() throws IOException {
        AppliedPosition durable = app.flush();
        if (durable.index() <= 0) {
            return -1;
        }
        TermIndex ti = TermIndex.valueOf(durable.term(), durable.index());
        SnapshotInfo existing = storage.latest();
        if (existing != null && existing.getIndex() >= durable.index()) {
            return existing.getIndex();
        }
        Path tmp = storage.tmpDirFor(ti);
        app.checkpoint(tmp);
        storage.publish(tmp, ti);
        LOG.info("{}: checkpoint at {}", group, ti);
        return durable.index();
    }

    @Override
    public void pause() {
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
            lc.transition(LifeCycle.State.PAUSING);
            app.close();
            lc.transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        storage.refresh();
        SnapshotInfo snapshot = storage.latest();
        if (snapshot == null) {
            throw new IOException(group + ": reinitialize without an installed checkpoint");
        }
        getLifeCycle().startAndTransition(() -> {
            Path dir = storage.dirOf(snapshot);
            CheckpointStorage.removeDigestFiles(dir);
            AppliedPosition restored = app.restore(dir);
            LOG.info("{}: reinitialized from installed checkpoint {} (state at {})", group, snapshot.getTermIndex(), restored);
            setLastAppliedTermIndex(snapshot.getTermIndex());
            appliedWaiters.applied(snapshot.getIndex());
        });
    }

    @Override
    public void notifyLeaderReady() {
        events.leadershipChanged(group, true);
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        events.leadershipChanged(group, false);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        if (!groupMemberId.getPeerId().equals(newLeaderId)) {
            events.leadershipChanged(group, false);
        }
    }

    @Override
    public void close() {
        if (getLifeCycleState() != LifeCycle.State.PAUSED) {
            app.close();
        }
    }
}
