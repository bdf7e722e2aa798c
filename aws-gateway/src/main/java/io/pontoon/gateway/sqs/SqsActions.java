package io.pontoon.gateway.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.v1.SqsGrpc;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.ServiceActions;
import io.pontoon.gateway.NodeCalls;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The SQS actions both wire protocols share: a request in the SQS JSON shape becomes the gRPC {@code Sqs} call of
 * the same name, and its answer the JSON shape again, queue URLs translated both ways ({@link HttpQueueUrls}). The
 * JSON protocol writes that shape as it is; the Query protocol reads its form into it and writes it as XML.
 */
final class SqsActions {
    /** The SQS model's spellings: "MD5" throughout, and two members named in lower camel case. */
    static final Map<String, String> WORDS = Map.of("md5", "MD5");
    static final Map<String, String> FIELDS = Map.of(
            "pontoon.v1.CreateQueueRequest.tags", "tags",
            "pontoon.v1.ListDeadLetterSourceQueuesResponse.queue_urls", "queueUrls");

    /** The lists the SQS model requires in its answers, written even when empty. */
    static final Set<String> REQUIRED_LISTS = Set.of(
            "pontoon.v1.SendMessageBatchResponse.successful", "pontoon.v1.SendMessageBatchResponse.failed",
            "pontoon.v1.DeleteMessageBatchResponse.successful", "pontoon.v1.DeleteMessageBatchResponse.failed",
            "pontoon.v1.ChangeMessageVisibilityBatchResponse.successful", "pontoon.v1.ChangeMessageVisibilityBatchResponse.failed",
            "pontoon.v1.ListDeadLetterSourceQueuesResponse.queue_urls");

    private final ServiceActions actions;
    private final ProtoJson json;
    private final String accountId;

    /**
     * @param json      the member rules of the protocol's shape (strictly typed for JSON, strings for the Query form)
     * @param accountId the account id in the queue URLs handed out
     */
    SqsActions(NodeCalls calls, ProtoJson json, String accountId) {
        this.actions = new ServiceActions(SqsGrpc.getServiceDescriptor(), calls);
        this.json = json;
        this.accountId = accountId;
    }

    boolean has(String action) {
        return actions.has(action);
    }

    /**
     * Calls {@code action} with {@code body}; the future never fails.
     *
     * @throws ProtoJson.ShapeException if the body does not fit the action's input (before anything is called)
     */
    CompletableFuture<ServiceActions.Outcome> call(String action, ObjectNode body, String path, String baseUrl) {
        prepare(action, body, path);
        return actions.call(action, body, json).thenApply(outcome -> outcome.error() != null ? outcome
                : new ServiceActions.Outcome(withHttpUrls(outcome.answer(), baseUrl + "/" + accountId), null));
    }

    /** Queue URLs to their Pontoon form (a request posted to a queue's URL names it by its path); legacy names. */
    private static void prepare(String action, ObjectNode body, String path) {
        JsonNode url = body.get("QueueUrl");
        if (url != null && url.isTextual()) {
            body.put("QueueUrl", HttpQueueUrls.toPontoon(url.textValue()));
        } else if (url == null && HttpQueueUrls.ofPath(path) != null) {
            body.put("QueueUrl", HttpQueueUrls.ofPath(path));
        }
        // ReceiveMessage's AttributeNames is the older name of MessageSystemAttributeNames; SDKs still send it.
        if (action.equals("ReceiveMessage") && body.get("AttributeNames") instanceof ArrayNode legacy) {
            JsonNode current = body.get("MessageSystemAttributeNames");
            (current instanceof ArrayNode names ? names : body.putArray("MessageSystemAttributeNames")).addAll(legacy);
        }
    }

    /** @param accountBase the client's base URL and the account id: {@code http://host:port/ACCOUNT} */
    private static ObjectNode withHttpUrls(ObjectNode out, String accountBase) {
        JsonNode url = out.get("QueueUrl");
        if (url != null) {
            out.put("QueueUrl", HttpQueueUrls.toHttp(url.textValue(), accountBase));
        }
        if ((out.has("QueueUrls") ? out.get("QueueUrls") : out.get("queueUrls")) instanceof ArrayNode urls) {
            for (int i = 0; i < urls.size(); i++) {
                urls.set(i, HttpQueueUrls.toHttp(urls.get(i).textValue(), accountBase));
            }
        }
        return out;
    }
}
