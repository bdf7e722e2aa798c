package io.pontoon.server.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every node's client port serves the standard gRPC health service (SERVING for the node and each Pontoon service
 * once every group has a leader) and server reflection (so grpcurl works without the protos).
 */
class HealthAndReflectionTest {
    @Test
    void aReadyNodeIsServingForItselfAndEachPontoonServiceAndUnknownServicesAreNotFound() {
        TestCluster cluster = SharedCluster.get();
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(cluster.channel("n2"));
        TestCluster.await(() -> health.check(HealthCheckRequest.getDefaultInstance()).getStatus() == HealthCheckResponse.ServingStatus.SERVING,
                20_000, "n2 to report SERVING");
        for (String service : List.of("pontoon.v1.Sqs", "pontoon.v1.Sns", "pontoon.v1.Kinesis", "pontoon.v1.Cluster")) {
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
        }
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    }

    @Test
    void reflectionListsThePontoonServices() throws Exception {
        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(SharedCluster.get().channel("n1"))
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        services.complete(r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        List<String> names = services.get(20, TimeUnit.SECONDS);
        requests.onCompleted();
        assertTrue(names.containsAll(List.of("pontoon.v1.Sqs", "pontoon.v1.Sns", "pontoon.v1.Kinesis", "pontoon.v1.Cluster", "grpc.health.v1.Health")), names.toString());
    }
}
