package io.pontoon.gateway.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.HttpStatuses;
import io.pontoon.gateway.ServiceActions;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One AWS service served over the Query protocol ({@link QueryProtocol}): its version, actions and XML shapes. */
public interface QueryService {
    /** The API version a request names in {@code Version}: {@code 2012-11-05} for SQS, {@code 2010-03-31} for SNS. */
    String version();

    /** The XML namespace of its responses. */
    String namespace();

    /** The error code for a parameter that is malformed or repeated: InvalidParameterValue (SQS), InvalidParameter (SNS). */
    String invalidParameterCode();

    boolean has(String action);

    /** The HTTP status of an error answer: {@link HttpStatuses}' rule, unless the service's model gives its own code another. */
    default int httpStatus(ErrorDetail error) {
        return HttpStatuses.of(error);
    }

    /**
     * Calls {@code action}; the future never fails.
     *
     * @param params every parameter but Action and Version, each given once
     * @throws FormTree.FormException                       for a form that does not fit the action (nothing called)
     * @throws io.pontoon.gateway.ProtoJson.ShapeException for a value of the wrong type (nothing called)
     */
    CompletableFuture<ServiceActions.Outcome> call(String action, Map<String, String> params, HttpExchange request);

    /**
     * The actions whose model declares no output shape: they answer with {@code <ResponseMetadata>} alone, as AWS
     * does. Every other action answers with its {@code <ActionResult>} element even when it has no members (an empty
     * ListSubscriptionsByTopic, a ReceiveMessage of nothing, TagResource), which SDKs look for (botocore fails
     * without it).
     */
    Set<String> actionsWithoutOutput();

    /** Writes the members of a successful answer inside {@code <ActionResult>}. */
    void writeResult(XMLStreamWriter w, String action, ObjectNode answer) throws XMLStreamException;
}
