package io.pontoon.gateway.sqs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.ServiceActions;
import io.pontoon.gateway.NodeCalls;
import io.pontoon.gateway.query.QueryService;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * SQS over the Query protocol (API version 2012-11-05), which SDKs and aws CLIs sent before SQS moved to AWS JSON:
 * the flattened form ({@link SqsForm}) is read into the JSON protocol's shape and served by the same
 * {@link SqsActions}; the answer is written as flattened XML ({@link SqsXml}). Requests may be posted to a queue's URL.
 */
public final class SqsQuery implements QueryService {
    private final SqsActions actions;

    /** @param accountId the account id in the queue URLs handed out */
    public SqsQuery(NodeCalls calls, String accountId) {
        this.actions = new SqsActions(calls, new ProtoJson(SqsActions.WORDS, SqsActions.FIELDS, true, ProtoJson.Timestamps.AS_NUMBERS,
                SqsActions.REQUIRED_LISTS), accountId);
    }

    @Override
    public String version() {
        return "2012-11-05";
    }

    @Override
    public String namespace() {
        return "http://queue.amazonaws.com/doc/2012-11-05/";
    }

    @Override
    public String invalidParameterCode() {
        return "InvalidParameterValue";
    }

    /** The SQS model's actions without an output shape, of those served (botocore's sqs service-2.json). */
    private static final Set<String> WITHOUT_OUTPUT = Set.of("ChangeMessageVisibility", "DeleteMessage", "DeleteQueue",
            "PurgeQueue", "SetQueueAttributes", "TagQueue", "UntagQueue");

    @Override
    public Set<String> actionsWithoutOutput() {
        return WITHOUT_OUTPUT;
    }

    @Override
    public boolean has(String action) {
        return actions.has(action);
    }

    @Override
    public CompletableFuture<ServiceActions.Outcome> call(String action, Map<String, String> params, HttpExchange request) {
        return actions.call(action, SqsForm.read(action, params), request.path(), request.baseUrl());
    }

    @Override
    public void writeResult(XMLStreamWriter w, String action, ObjectNode answer) throws XMLStreamException {
        SqsXml.members(w, action, answer);
    }
}
