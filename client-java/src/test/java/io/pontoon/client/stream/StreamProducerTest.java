package io.pontoon.client.stream;

import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.KinesisGrpc;
import io.pontoon.api.v1.PutRecordsRequest;
import io.pontoon.api.v1.PutRecordsResponse;
import io.pontoon.api.v1.PutRecordsResultEntry;
import io.pontoon.client.PontoonClient;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The stream producer against an in-process Kinesis service that refuses every record. */
class StreamProducerTest {

    @Test
    void aRecordRefusedUntilItsTimeToLiveEndsFailsSayingHowOftenItWasTriedAndWhyTheLastTryFailed() throws Exception {
        AtomicInteger puts = new AtomicInteger();
        KinesisGrpc.KinesisImplBase refusing = new KinesisGrpc.KinesisImplBase() {
            @Override
            public void putRecords(PutRecordsRequest req, StreamObserver<PutRecordsResponse> out) {
                puts.incrementAndGet();
                PutRecordsResponse.Builder r = PutRecordsResponse.newBuilder().setFailedRecordCount(req.getRecordsCount());
                req.getRecordsList().forEach(e -> r.addRecords(PutRecordsResultEntry.newBuilder()
                        .setErrorCode("ProvisionedThroughputExceededException").setErrorMessage("shard over its rate")));
                out.onNext(r.build());
                out.onCompleted();
            }
        };
        String address = "producer-" + UUID.randomUUID() + ":1";
        Server server = InProcessServerBuilder.forName(address).addService(refusing).build().start();
        try (PontoonClient client = PontoonClient.builder().bootstrap(address)
                .channelFactory(a -> InProcessChannelBuilder.forName(a).build()).build();
             StreamProducer producer = StreamProducer.builder(client.streams(), "s").recordTtlMs(300).backoffBaseMs(10).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer.add("k", "data".getBytes()).get(10, TimeUnit.SECONDS));
            String message = e.getCause().getMessage();
            assertTrue(message.contains("time to live of 300 ms"), message);
            assertTrue(message.contains("last: ProvisionedThroughputExceededException: shard over its rate"), message);
            assertTrue(puts.get() >= 2, "the record was sent again before it expired");
            assertTrue(message.contains("(" + puts.get() + " attempts;"), message);
        } finally {
            server.shutdownNow();
        }
    }
}
