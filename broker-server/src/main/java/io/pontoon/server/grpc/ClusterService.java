package io.pontoon.server.grpc;

import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.ClusterGrpc;
import io.pontoon.api.v1.GetReplicaDigestRequest;
import io.pontoon.api.v1.GetReplicaDigestResponse;
import io.pontoon.api.v1.GetRoutingTableRequest;
import io.pontoon.api.v1.GetRoutingTableResponse;
import io.pontoon.api.v1.LookupQueueRequest;
import io.pontoon.api.v1.LookupQueueResponse;
import io.pontoon.api.v1.LookupStreamRequest;
import io.pontoon.api.v1.LookupStreamResponse;
import io.pontoon.api.v1.LookupTopicRequest;
import io.pontoon.api.v1.LookupTopicResponse;
import io.pontoon.api.v1.NodeInfo;
import io.pontoon.api.v1.PartitionInfo;
import io.pontoon.api.v1.TransferLeadershipRequest;
import io.pontoon.api.v1.TransferLeadershipResponse;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.QueueValidator;
import io.pontoon.raft.GroupStatus;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.raft.StateDigest;
import io.pontoon.server.config.NodeConfig;
import io.pontoon.server.queue.Placement;

/**
 * Routing metadata for clients (who the nodes are, who leads each partition, where a queue lives) and two
 * operator calls: a replica's state digest and leadership transfer. Those two block (a digest reads a whole
 * replica, a transfer waits for an election), so they run on the node's admin executor, never on the small
 * executor that serves client calls.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private static final String CONTROLLER_ID = "controller";
    /** How long a leadership transfer may take before the call fails (a few election timeouts). */
    private static final long TRANSFER_TIMEOUT_MS = 10_000;
    private final java.util.function.Function<String, java.util.concurrent.CompletableFuture<LookupTopicResponse>> topicRoutes;
    private final NodeConfig config;
    private final RaftNode node;
    private final Placement placement;
    private final java.util.function.Function<String, java.util.concurrent.CompletableFuture<LookupStreamResponse>> streamRoutes;
    private final java.util.concurrent.Executor admin;

    /** @param admin where the blocking operator calls run (a bounded pool of their own) */
    public ClusterService(NodeConfig config, RaftNode node, Placement placement, java.util.concurrent.Executor admin) {
        this(config, node, placement, admin, name -> java.util.concurrent.CompletableFuture.failedFuture(
                new io.pontoon.core.error.BrokerException(io.pontoon.core.error.ErrorCode.RESOURCE_NOT_FOUND, "no streams on this node")),
                name -> java.util.concurrent.CompletableFuture.failedFuture(
                        new io.pontoon.core.error.BrokerException(io.pontoon.core.error.ErrorCode.NOT_FOUND, "no topics on this node")));
    }

    public ClusterService(NodeConfig config, RaftNode node, Placement placement, java.util.concurrent.Executor admin,
                          java.util.function.Function<String, java.util.concurrent.CompletableFuture<LookupStreamResponse>> streamRoutes,
                          java.util.function.Function<String, java.util.concurrent.CompletableFuture<LookupTopicResponse>> topicRoutes) {
        this.streamRoutes = streamRoutes;
        this.topicRoutes = topicRoutes;
        this.config = config;
        this.node = node;
        this.placement = placement;
        this.admin = admin;
    }

    /** Runs a blocking operator call on the admin executor; a full executor answers ServiceUnavailable at once. */
    private <R> void offAdmin(StreamObserver<R> out, Runnable call) {
        try {
            admin.execute(call);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out.onError(GrpcErrors.status(ErrorCode.SERVICE_UNAVAILABLE, "too many operator calls in progress on this node; retry later"));
        }
    }

    @Override
    public void getRoutingTable(GetRoutingTableRequest request, StreamObserver<GetRoutingTableResponse> out) {
        GetRoutingTableResponse.Builder b = GetRoutingTableResponse.newBuilder().setControllerPartitionId(CONTROLLER_ID);
        for (NodeConfig.Member m : config.members()) {
            b.addNodes(NodeInfo.newBuilder().setNodeId(m.nodeId()).setClientAddress(m.clientAddress()));
        }
        long epoch = 0;
        for (ReplicaGroupId g : groups()) {
            GroupStatus s = node.status(g);
            PartitionInfo.Builder info = PartitionInfo.newBuilder().setPartitionId(partitionId(g))
                    .setLeaderNodeId(s.leaderNodeId() == null ? "" : s.leaderNodeId()).setLeaderTerm(s.term());
            config.members().forEach(m -> info.addReplicaNodeIds(m.nodeId()));
            b.addPartitions(info);
            epoch += s.term();
        }
        out.onNext(b.setEpoch(epoch).build());
        out.onCompleted();
    }

    /** The controller first (its id is "controller"), then every partition by number. */
    private java.util.List<ReplicaGroupId> groups() {
        java.util.List<ReplicaGroupId> all = new java.util.ArrayList<>();
        all.add(ReplicaGroupId.CONTROLLER);
        for (int p = 0; p < placement.partitionCount(); p++) {
            all.add(ReplicaGroupId.partition(p));
        }
        return all;
    }

    private static String partitionId(ReplicaGroupId g) {
        return g.kind() == ReplicaGroupId.Kind.CONTROLLER ? CONTROLLER_ID : String.valueOf(g.number());
    }

    @Override
    public void lookupQueue(LookupQueueRequest request, StreamObserver<LookupQueueResponse> out) {
        try {
            QueueValidator.queueName(request.getQueueName());
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        placement.shards(request.getQueueName()).whenComplete((shards, error) -> {
            if (error != null) {
                out.onError(GrpcErrors.toStatus(error));
            } else {
                out.onNext(LookupQueueResponse.newBuilder().setPartitionId(String.valueOf(shards.get(0)))
                        .addAllShardPartitionIds(shards.stream().map(String::valueOf).toList()).build());
                out.onCompleted();
            }
        });
    }

    @Override
    public void lookupStream(LookupStreamRequest request, StreamObserver<LookupStreamResponse> out) {
        Calls.respond(RequestMetrics.NONE, "LookupStream", out, () -> streamRoutes.apply(request.getStreamName()), r -> r);
    }

    @Override
    public void lookupTopic(LookupTopicRequest request, StreamObserver<LookupTopicResponse> out) {
        Calls.respond(RequestMetrics.NONE, "LookupTopic", out, () -> topicRoutes.apply(request.getTopicName()), r -> r);
    }

    @Override
    public void getReplicaDigest(GetReplicaDigestRequest request, StreamObserver<GetReplicaDigestResponse> out) {
        offAdmin(out, () -> {
            try {
                ReplicaGroupId g = group(request.getPartitionId());
                long commitIndex = node.status(g).commitIndex();
                StateDigest d = node.digest(g);
                out.onNext(GetReplicaDigestResponse.newBuilder().setNodeId(config.nodeId())
                        .setAppliedIndex(d.appliedIndex()).setSha256(d.sha256()).setCommitIndex(commitIndex).build());
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(GrpcErrors.toStatus(e));
            }
        });
    }

    @Override
    public void transferLeadership(TransferLeadershipRequest request, StreamObserver<TransferLeadershipResponse> out) {
        offAdmin(out, () -> transfer(request, out));
    }

    private void transfer(TransferLeadershipRequest request, StreamObserver<TransferLeadershipResponse> out) {
        try {
            ReplicaGroupId g = group(request.getPartitionId());
            if (config.members().stream().noneMatch(m -> m.nodeId().equals(request.getNodeId()))) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "no node " + request.getNodeId() + " in the cluster");
            }
            node.transferLeadership(g, request.getNodeId(), TRANSFER_TIMEOUT_MS);
            GroupStatus s = node.status(g);
            out.onNext(TransferLeadershipResponse.newBuilder().setLeaderNodeId(request.getNodeId()).setLeaderTerm(s.term()).build());
            out.onCompleted();
        } catch (java.io.IOException e) {
            out.onError(GrpcErrors.status(ErrorCode.SERVICE_UNAVAILABLE, e.getMessage()));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    /** The group behind a routing-table partition id. */
    private ReplicaGroupId group(String partitionId) {
        for (ReplicaGroupId g : groups()) {
            if (partitionId(g).equals(partitionId)) return g;
        }
        throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "no partition '" + partitionId + "' (known: controller, 0.."
                + (placement.partitionCount() - 1) + ")");
    }
}
