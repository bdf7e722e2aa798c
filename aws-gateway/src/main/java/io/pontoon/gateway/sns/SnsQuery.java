package io.pontoon.gateway.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.api.v1.SnsGrpc;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.ServiceActions;
import io.pontoon.gateway.NodeCalls;
import io.pontoon.gateway.query.FormTree;
import io.pontoon.gateway.query.QueryService;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * SNS over the Query protocol (API version 2010-03-31), the only protocol SNS speaks. Every action is the gRPC
 * {@code Sns} method of the same name: the form ({@link SnsForm}) is read into the SNS model's JSON shape, which
 * differs from the protos in three places that are translated here, and the answer is written as XML
 * ({@link SnsXml}). Topic and subscription ARNs are Pontoon's as they are.
 */
public final class SnsQuery implements QueryService {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ProtoJson JSON = new ProtoJson(Map.of(), Map.of(), true);
    private final ServiceActions actions;

    public SnsQuery(NodeCalls calls) {
        this.actions = new ServiceActions(SnsGrpc.getServiceDescriptor(), calls);
    }

    @Override
    public String version() {
        return "2010-03-31";
    }

    @Override
    public String namespace() {
        return "http://sns.amazonaws.com/doc/2010-03-31/";
    }

    @Override
    public String invalidParameterCode() {
        return "InvalidParameter";
    }

    @Override
    public boolean has(String action) {
        return actions.has(action);
    }

    @Override
    public CompletableFuture<ServiceActions.Outcome> call(String action, Map<String, String> params, HttpExchange request) {
        ObjectNode body = SnsForm.read(params);
        prepare(action, body);
        return actions.call(action, body, JSON).thenApply(outcome -> outcome.error() != null ? outcome
                : new ServiceActions.Outcome(inModelShape(outcome.answer()), null));
    }

    /** The SNS model's HTTP status of its error codes that are not 400 (botocore's sns service-2.json). */
    private static final Map<String, Integer> MODEL_STATUSES = Map.of("NotFound", 404, "ResourceNotFound", 404,
            "AuthorizationError", 403, "TopicLimitExceeded", 403, "SubscriptionLimitExceeded", 403, "FilterPolicyLimitExceeded", 403,
            "InvalidSecurity", 403, "Throttled", 429);

    @Override
    public int httpStatus(ErrorDetail error) {
        return MODEL_STATUSES.getOrDefault(error.getAwsCode(), QueryService.super.httpStatus(error));
    }

    /** The SNS model's actions without an output shape, of those served (botocore's sns service-2.json). */
    private static final Set<String> WITHOUT_OUTPUT = Set.of("DeleteTopic", "SetTopicAttributes",
            "SetSubscriptionAttributes", "Unsubscribe");

    @Override
    public Set<String> actionsWithoutOutput() {
        return WITHOUT_OUTPUT;
    }

    @Override
    public void writeResult(XMLStreamWriter w, String action, ObjectNode answer) throws XMLStreamException {
        SnsXml.members(w, answer);
    }

    /**
     * The model's shapes to the protos': tags are a list of {@code {Key, Value}} in SNS and a map in the protos.
     * Publish's SMS and mobile-push targets are refused by name rather than ignored; a TargetArn naming a topic is
     * read as its TopicArn.
     */
    private static void prepare(String action, ObjectNode body) {
        if (body.get("Tags") instanceof ArrayNode tags) {
            ObjectNode map = body.putObject("Tags");
            for (JsonNode tag : tags) {
                if (!tag.path("Key").isTextual() || !tag.path("Value").isTextual()) {
                    throw new FormTree.FormException("Each Tags.member.N needs a Key and a Value.");
                }
                map.set(tag.get("Key").textValue(), tag.get("Value"));
            }
        }
        if (action.equals("Publish")) {
            if (body.has("PhoneNumber")) {
                throw new FormTree.FormException("PhoneNumber is not supported: Pontoon publishes to topics (SMS is not delivered).");
            }
            JsonNode target = body.remove("TargetArn");
            if (target != null && !body.has("TopicArn")) {
                body.set("TopicArn", target);
            }
        }
    }

    /** The protos' answer to the model's shapes: ListTopics' {@code Topics} and ListTagsForResource's {@code Tags} lists. */
    private static ObjectNode inModelShape(ObjectNode answer) {
        if (answer.remove("TopicArns") instanceof ArrayNode arns) {
            ArrayNode topics = answer.putArray("Topics");
            arns.forEach(arn -> topics.addObject().set("TopicArn", arn));
        }
        if (answer.get("Tags") instanceof ObjectNode tags) {
            ArrayNode list = NODES.arrayNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> tag = it.next();
                list.addObject().put("Key", tag.getKey()).set("Value", tag.getValue());
            }
            answer.set("Tags", list);
        }
        return answer;
    }
}
