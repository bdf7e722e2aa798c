package io.pontoon.gateway.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.gateway.Bodies;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.RequestIds;
import io.pontoon.gateway.HttpStatuses;
import io.pontoon.gateway.Protocol;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.NodeCalls;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * SQS over AWS JSON 1.0: {@code POST /} with {@code X-Amz-Target: AmazonSQS.<Action>} and a JSON body, answered with
 * JSON; errors carry {@code __type} and the {@code x-amzn-query-error} header ({@link SqsErrors}). Every action is the
 * gRPC {@code Sqs} method of the same name: the body is read into its request proto by {@link ProtoJson}, and the
 * queue URLs are translated both ways ({@link HttpQueueUrls}).
 */
public final class SqsJsonProtocol implements Protocol {
    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String TARGET_PREFIX = "AmazonSQS.";
    static final ProtoJson JSON = new ProtoJson(SqsActions.WORDS, SqsActions.FIELDS, false, ProtoJson.Timestamps.AS_NUMBERS, SqsActions.REQUIRED_LISTS);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SqsActions actions;

    /** @param accountId the account id in the queue URLs handed out */
    public SqsJsonProtocol(NodeCalls calls, String accountId) {
        this.actions = new SqsActions(calls, JSON, accountId);
    }

    @Override
    public boolean accepts(HttpExchange request) {
        String target = request.header("x-amz-target");
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    @Override
    public CompletableFuture<HttpExchange.Reply> handle(HttpExchange request) {
        String action = request.header("x-amz-target").substring(TARGET_PREFIX.length());
        if (!actions.has(action) || !"POST".equals(request.method())) {
            return CompletableFuture.completedFuture(error(400, "UnknownOperationException", "InvalidAction;Sender",
                    !actions.has(action) ? "The action " + action + " is not valid for this endpoint." : "SQS actions are POSTed."));
        }
        try {
            return actions.call(action, Bodies.readObject(MAPPER, request.body(), "JSON"), request.path(), request.baseUrl())
                    .thenApply(outcome -> outcome.error() == null ? ok(outcome.answer()) : error(outcome.error()));
        } catch (ProtoJson.ShapeException | IOException e) {
            return CompletableFuture.completedFuture(error(400, "com.amazon.coral.service#SerializationException", null, e.getMessage()));
        }
    }

    @Override
    public HttpExchange.Reply error(int httpStatus, String code, String message) {
        return error(httpStatus, "com.amazon.coral.service#" + code, code + ";" + (httpStatus < 500 ? "Sender" : "Receiver"), message);
    }


    private static HttpExchange.Reply ok(ObjectNode json) {
        return new HttpExchange.Reply(200, CONTENT_TYPE, Map.of("x-amzn-RequestId", RequestIds.next()), Bodies.write(MAPPER, json));
    }

    private static HttpExchange.Reply error(ErrorDetail error) {
        return error(HttpStatuses.of(error), "com.amazonaws.sqs#" + SqsErrors.jsonName(error.getAwsCode()),
                SqsErrors.queryErrorHeader(error), error.getMessage());
    }

    private static HttpExchange.Reply error(int status, String type, String queryError, String message) {
        ObjectNode json = MAPPER.createObjectNode().put("__type", type).put("message", message);
        Map<String, String> headers = new HashMap<>();
        headers.put("x-amzn-RequestId", RequestIds.next());
        if (queryError != null) {
            headers.put("x-amzn-query-error", queryError);
        }
        return new HttpExchange.Reply(status, CONTENT_TYPE, headers, Bodies.write(MAPPER, json));
    }

}
