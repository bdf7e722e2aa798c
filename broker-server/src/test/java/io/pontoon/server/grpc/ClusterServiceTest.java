package io.pontoon.server.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.GetReplicaDigestRequest;
import io.pontoon.api.v1.TransferLeadershipRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The blocking operator calls (a leadership transfer waits for an election; a digest reads a whole replica) never run
 * on the gRPC executor that serves clients: the handler hands them to the admin executor and returns at once.
 */
class ClusterServiceTest {
    /** Records what the handler handed off; nothing runs. */
    private final List<Runnable> handedOff = new ArrayList<>();

    private static final class Recorder<T> implements StreamObserver<T> {
        final List<Object> events = new ArrayList<>();

        public void onNext(T value) {
            events.add(value);
        }

        public void onError(Throwable t) {
            events.add(t);
        }

        public void onCompleted() {
            events.add("completed");
        }
    }

    @Test
    void transferLeadershipAndDigestAreHandedToTheAdminExecutorAndTheHandlerReturnsAtOnce() {
        ClusterService service = new ClusterService(null, null, null, handedOff::add);
        Recorder<io.pontoon.api.v1.TransferLeadershipResponse> transfer = new Recorder<>();
        service.transferLeadership(TransferLeadershipRequest.newBuilder().setPartitionId("0").setNodeId("n2").build(), transfer);
        Recorder<io.pontoon.api.v1.GetReplicaDigestResponse> digest = new Recorder<>();
        service.getReplicaDigest(GetReplicaDigestRequest.newBuilder().setPartitionId("0").build(), digest);
        assertEquals(2, handedOff.size(), "both calls wait on the admin executor");
        assertTrue(transfer.events.isEmpty() && digest.events.isEmpty(), "and the gRPC thread is free: nothing ran on it");
    }

    @Test
    void whenTheAdminExecutorIsFullTheCallIsRefusedRatherThanRunOnTheClientsExecutor() {
        ClusterService service = new ClusterService(null, null, null, r -> {
            throw new RejectedExecutionException("full");
        });
        Recorder<io.pontoon.api.v1.GetReplicaDigestResponse> digest = new Recorder<>();
        service.getReplicaDigest(GetReplicaDigestRequest.newBuilder().setPartitionId("0").build(), digest);
        StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, digest.events.get(0));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
}
