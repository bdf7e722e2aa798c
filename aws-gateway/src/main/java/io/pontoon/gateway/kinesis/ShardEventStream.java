package io.pontoon.gateway.kinesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.api.v1.KinesisGrpc;
import io.pontoon.api.v1.SubscribeToShardEvent;
import io.pontoon.api.v1.SubscribeToShardRequest;
import io.pontoon.gateway.Bodies;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.NodeCalls;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.RequestIds;
import io.pontoon.gateway.StreamingBody;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * SubscribeToShard over HTTP: the node's gRPC subscription, re-encoded as an AWS event stream. The answer waits for
 * the subscription's first event (which the node sends at once) or its failure, so that a refused subscription
 * (unknown consumer, a second one within 5 s) is an ordinary error response the SDK maps to its exception; after
 * that the body is an {@code initial-response} event, then one {@code SubscribeToShardEvent} per gRPC event, and an
 * exception event if the subscription fails later. One event is in flight at a time: the next is asked of the node
 * only once the last is written, so a slow reader holds one event here and the node's flow control does the rest.
 */
final class ShardEventStream implements StreamingBody, ClientResponseObserver<SubscribeToShardRequest, SubscribeToShardEvent> {
    static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
    private final String payloadType;
    private final ObjectMapper mapper;
    private final ProtoJson json;
    private final Function<ErrorDetail, HttpExchange.Reply> errorReply;
    private final CompletableFuture<HttpExchange.Reply> reply = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<SubscribeToShardRequest> call;
    // Guarded by this: the events that came before the body started, and whether the subscription has ended.
    private Sink sink;
    private byte[] first;
    private byte[] last;
    private boolean ended;

    private ShardEventStream(String payloadType, ObjectMapper mapper, ProtoJson json, Function<ErrorDetail, HttpExchange.Reply> errorReply) {
        this.payloadType = payloadType;
        this.mapper = mapper;
        this.json = json;
        this.errorReply = errorReply;
    }

    /**
     * Subscribes; the answer is the event stream, or the error the subscription was refused with.
     *
     * @param payloadType the events' encoding, the request's own (AWS JSON 1.1 or AWS CBOR)
     */
    static CompletableFuture<HttpExchange.Reply> open(NodeCalls calls, SubscribeToShardRequest request, String payloadType, ObjectMapper mapper,
                                                      ProtoJson json, Function<ErrorDetail, HttpExchange.Reply> errorReply) {
        ShardEventStream stream = new ShardEventStream(payloadType, mapper, json, errorReply);
        calls.serverStream(KinesisGrpc.getSubscribeToShardMethod(), request, stream);
        return stream.reply;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeToShardRequest> requestStream) {
        call = requestStream;
        requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(SubscribeToShardEvent event) {
        byte[] frame = event("SubscribeToShardEvent", Bodies.write(mapper, json.write(event)));
        boolean firstEvent;
        synchronized (this) {
            firstEvent = sink == null;
            if (firstEvent) {
                first = frame;
            } else {
                sendThenAskForMore(sink, frame);
            }
        }
        if (firstEvent) {
            reply.complete(HttpExchange.Reply.streaming(200, CONTENT_TYPE, Map.of("x-amzn-RequestId", RequestIds.next()), this));
        }
    }

    @Override
    public void onError(Throwable t) {
        ErrorDetail error = NodeCalls.errorOf(t);
        if (reply.complete(errorReply.apply(error))) {
            return; // refused before any event: an ordinary error response
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "exception");
        headers.put(":exception-type", error.getAwsCode());
        headers.put(":content-type", payloadType);
        end(EventStreamMessages.encode(headers, Bodies.write(mapper, mapper.createObjectNode().put("message", error.getMessage()))));
    }

    @Override
    public void onCompleted() {
        reply.complete(HttpExchange.Reply.streaming(200, CONTENT_TYPE, Map.of("x-amzn-RequestId", RequestIds.next()), this));
        end(null);
    }

    /** Sends what came before the body started; every send is made under the lock, so frames go out in order. */
    @Override
    public synchronized void start(Sink sink) {
        this.sink = sink;
        sink.send(event("initial-response", Bodies.write(mapper, mapper.createObjectNode())));
        if (first != null && !ended) {
            sendThenAskForMore(sink, first);
        } else if (first != null) {
            sink.send(first);
        }
        if (ended) {
            if (last != null) {
                sink.send(last);
            }
            sink.end();
        }
    }

    @Override
    public void cancel() {
        ClientCallStreamObserver<SubscribeToShardRequest> c = call;
        if (c != null) {
            c.cancel("the HTTP client went away", null);
        }
    }

    private void sendThenAskForMore(Sink to, byte[] frame) {
        to.send(frame).whenComplete((written, failure) -> {
            if (failure == null) {
                call.request(1);
            } else {
                cancel();
            }
        });
    }

    /** The subscription ended, with a last message (an exception event) or none; kept for the body if it has not started. */
    private synchronized void end(byte[] lastFrame) {
        ended = true;
        if (sink == null) {
            last = lastFrame;
            return;
        }
        if (lastFrame != null) {
            sink.send(lastFrame);
        }
        sink.end();
    }

    private byte[] event(String type, byte[] payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "event");
        headers.put(":event-type", type);
        headers.put(":content-type", payloadType);
        return EventStreamMessages.encode(headers, payload);
    }
}
