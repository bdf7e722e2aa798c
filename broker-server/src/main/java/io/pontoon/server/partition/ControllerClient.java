package io.pontoon.server.partition;

import io.pontoon.core.controller.ControllerCodec;
import io.pontoon.core.controller.ControllerCommand;
import io.pontoon.core.controller.ControllerQuery;
import io.pontoon.core.controller.ControllerQueryResult;
import io.pontoon.core.controller.ControllerResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * This node's access to the controller group, for every model's placement: proposals (group-committed), linearizable
 * reads, and reads of this node's own replica (every node hosts the controller; possibly stale, never a round trip).
 */
public final class ControllerClient {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerClient.class);
    /** Controller commands are small and few (creates, deletes, reshards, ticks): modest fixed limits. */
    private static final GroupCommitter.Limits LIMITS = new GroupCommitter.Limits(256, 1 << 20, 2, 10_000, 4L << 20);

    private final RaftNode node;
    private final int partitions;
    private final GroupCommitter<ControllerResult> committer;
    private volatile boolean initialized;

    public ControllerClient(RaftNode node, int partitions, ByteBudget requests) {
        this.node = node;
        this.partitions = partitions;
        this.committer = new GroupCommitter<>(batch -> node.submit(ReplicaGroupId.CONTROLLER, batch),
                ControllerCodec::frame, ControllerCodec::decodeResults, LIMITS, requests);
    }

    /** Proposes {@code command}, after the partition count is recorded (see {@link #initialize}). */
    public CompletableFuture<ControllerResult> submit(ControllerCommand command) {
        return initialize().thenCompose(v -> propose(command));
    }

    private CompletableFuture<ControllerResult> propose(ControllerCommand command) {
        return committer.submit(ControllerCodec.encodeOne(command)).thenApply(GroupCommitter.Applied::result);
    }

    /** A linearizable read: the controller leader's current answer. */
    public CompletableFuture<ControllerQueryResult> read(ControllerQuery query) {
        return node.read(ReplicaGroupId.CONTROLLER, ControllerCodec.encodeQuery(query)).thenApply(ControllerCodec::decodeQueryResult);
    }

    /** This node's replica's answer: no round trip, possibly behind. Throws while the replica is not open. */
    public ControllerQueryResult localRead(ControllerQuery query) {
        return ControllerCodec.decodeQueryResult(node.localRead(ReplicaGroupId.CONTROLLER, ControllerCodec.encodeQuery(query)));
    }

    /**
     * Records the partition count on first start (idempotent); a node configured with another count is
     * refused. The controller leader calls it on election, and every proposal waits for it first, so the first
     * create after a cold start does not race the leader's own initialization.
     */
    public CompletableFuture<Void> initialize() {
        if (initialized) {
            return CompletableFuture.completedFuture(null);
        }
        return propose(new ControllerCommand.InitPartitions(partitions)).thenAccept(r -> {
            if (r instanceof ControllerResult.Error e) {
                LOG.error("controller refused partitions={}: {} ({})", partitions, e.message(), e.code());
                throw new BrokerException(e.code(), e.message());
            }
            initialized = true;
        });
    }

    /** Proposes the controller's housekeeping tick (expiry of deleted-name tombstones). */
    public CompletableFuture<ControllerResult> tick() {
        return propose(new ControllerCommand.Tick());
    }

    public int partitionCount() {
        return partitions;
    }

    /** The failure a controller answer other than the expected one stands for. */
    public static BrokerException failure(Object answer) {
        if (answer instanceof ControllerResult.Error e) {
            return new BrokerException(e.code(), e.message());
        }
        if (answer instanceof ControllerQueryResult.Error e) {
            return new BrokerException(e.code(), e.message());
        }
        return new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected controller answer " + answer);
    }
}
