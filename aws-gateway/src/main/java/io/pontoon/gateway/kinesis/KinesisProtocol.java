package io.pontoon.gateway.kinesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.api.v1.KinesisGrpc;
import io.pontoon.api.v1.SubscribeToShardRequest;
import io.pontoon.gateway.Bodies;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.RequestIds;
import io.pontoon.gateway.HttpStatuses;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.Protocol;
import io.pontoon.gateway.ServiceActions;
import io.pontoon.gateway.NodeCalls;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Kinesis Data Streams over AWS JSON 1.1 ({@code application/x-amz-json-1.1}) and AWS CBOR
 * ({@code application/x-amz-cbor-1.1}, the AWS SDK for Java v2's default): {@code POST /} with
 * {@code X-Amz-Target: Kinesis_20131202.<Action>}, answered in the request's own format. Every unary action is the
 * gRPC {@code Kinesis} method of the same name. Blobs are base64 in JSON and byte strings in CBOR; timestamps are
 * epoch seconds in JSON and epoch milliseconds in CBOR; errors carry {@code __type} (the Kinesis exception name)
 * and {@code message}, and the {@code x-amzn-ErrorType} header. SubscribeToShard answers with an AWS event stream
 * ({@link ShardEventStream}), over HTTP/2 as the SDKs call it or chunked over HTTP/1.1.
 */
public final class KinesisProtocol implements Protocol {
    public static final String JSON_TYPE = "application/x-amz-json-1.1";
    public static final String CBOR_TYPE = "application/x-amz-cbor-1.1";
    private static final String TARGET_PREFIX = "Kinesis_20131202.";
    private static final Map<String, String> WORDS = Map.of("arn", "ARN");
    /** The lists the Kinesis model requires in its answers, written even when empty. */
    static final Set<String> REQUIRED_LISTS = Set.of("pontoon.v1.GetRecordsResponse.records", "pontoon.v1.SubscribeToShardEvent.records",
            "pontoon.v1.PutRecordsResponse.records", "pontoon.v1.ListStreamsResponse.stream_names", "pontoon.v1.ListTagsForStreamResponse.tags",
            "pontoon.v1.StreamDescription.shards", "pontoon.v1.ChildShard.parent_shards", "pontoon.v1.EnhancedMetrics.shard_level_metrics");
    static final ProtoJson JSON = new ProtoJson(WORDS, Map.of(), false, ProtoJson.Timestamps.EPOCH_SECONDS, REQUIRED_LISTS);
    private static final ProtoJson CBOR = new ProtoJson(WORDS, Map.of(), false, ProtoJson.Timestamps.EPOCH_MILLIS, REQUIRED_LISTS);
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final ObjectMapper CBOR_MAPPER = new CBORMapper();
    private final ServiceActions actions;
    private final NodeCalls calls;

    public KinesisProtocol(NodeCalls calls) {
        this.actions = new ServiceActions(KinesisGrpc.getServiceDescriptor(), calls);
        this.calls = calls;
    }

    @Override
    public boolean accepts(HttpExchange request) {
        String target = request.header("x-amz-target");
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    @Override
    public CompletableFuture<HttpExchange.Reply> handle(HttpExchange request) {
        boolean cbor = isCbor(request);
        String action = request.header("x-amz-target").substring(TARGET_PREFIX.length());
        boolean subscribe = action.equals("SubscribeToShard");
        if (!(actions.has(action) || subscribe) || !"POST".equals(request.method())) {
            return done(reply(cbor, 400, "UnknownOperationException", !"POST".equals(request.method())
                    ? "Kinesis actions are POSTed." : "The action " + action + " is not a Kinesis action served here."));
        }
        ProtoJson json = cbor ? CBOR : JSON;
        String contentType = cbor ? CBOR_TYPE : JSON_TYPE;
        try {
            ObjectNode body = Bodies.readObject(mapper(cbor), request.body(), cbor ? "CBOR" : "JSON");
            if (subscribe) {
                SubscribeToShardRequest subscription = json.read(body, SubscribeToShardRequest.newBuilder()).build();
                return ShardEventStream.open(calls, subscription, contentType, mapper(cbor), json, e -> reply(cbor, e));
            }
            return actions.call(action, body, json).thenApply(outcome -> outcome.error() == null
                    ? new HttpExchange.Reply(200, contentType, Map.of("x-amzn-RequestId", RequestIds.next()), Bodies.write(mapper(cbor), outcome.answer()))
                    : reply(cbor, outcome.error()));
        } catch (ProtoJson.ShapeException | IOException e) {
            return done(reply(cbor, 400, "SerializationException", e.getMessage()));
        }
    }

    @Override
    public HttpExchange.Reply error(int httpStatus, String code, String message) {
        return reply(false, httpStatus, code, message);
    }

    private static boolean isCbor(HttpExchange request) {
        String type = request.header("content-type");
        return type != null && type.startsWith(CBOR_TYPE);
    }


    private static HttpExchange.Reply reply(boolean cbor, ErrorDetail error) {
        return reply(cbor, HttpStatuses.of(error), error.getAwsCode(), error.getMessage());
    }

    private static HttpExchange.Reply reply(boolean cbor, int status, String code, String message) {
        ObjectNode body = JSON_MAPPER.createObjectNode().put("__type", code).put("message", message);
        return new HttpExchange.Reply(status, cbor ? CBOR_TYPE : JSON_TYPE,
                Map.of("x-amzn-RequestId", RequestIds.next(), "x-amzn-ErrorType", code), Bodies.write(mapper(cbor), body));
    }

    private static ObjectMapper mapper(boolean cbor) {
        return cbor ? CBOR_MAPPER : JSON_MAPPER;
    }

    private static CompletableFuture<HttpExchange.Reply> done(HttpExchange.Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

}
