package io.pontoon.gateway.sqs;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.RequestIds;
import io.pontoon.gateway.HttpStatuses;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.Protocol;
import io.pontoon.gateway.UnaryCalls;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * SQS over the older Query protocol (API version 2012-11-05), which SDKs and aws CLIs sent before SQS moved to AWS
 * JSON: {@code Action=SendMessage&QueueUrl=...&MessageBody=...}, form-encoded in a POST body (or in the query string
 * of a GET), answered with XML. The form is read into the JSON protocol's shape ({@link QueryForm}) and served by
 * the same {@link SqsActions}; the answer is written as XML ({@link QueryXml}), errors as {@code <ErrorResponse>}.
 */
public final class SqsQueryProtocol implements Protocol {
    public static final String VERSION = "2012-11-05";
    private static final String CONTENT_TYPE = "text/xml";
    private static final int MAX_PARAMETERS = 1_024;
    private final SqsActions actions;

    public SqsQueryProtocol(UnaryCalls calls) {
        this.actions = new SqsActions(calls, new ProtoJson(SqsActions.WORDS, SqsActions.FIELDS, true));
    }

    /**
     * Every request in the Query shape: a form POST, or a GET with a query string, and no {@code X-Amz-Target}. The
     * form is read once, in {@link #handle}, which answers an action or version it does not serve with InvalidAction
     * (SQS is the only Query service served; SNS would share this reading and dispatch on {@code Version}).
     */
    @Override
    public boolean accepts(HttpExchange request) {
        return request.header("x-amz-target") == null && (isForm(request) || !request.query().isEmpty());
    }

    @Override
    public CompletableFuture<HttpExchange.Reply> handle(HttpExchange request) {
        Map<String, List<String>> params = params(request);
        List<String> actionParam = params.get("Action");
        List<String> version = params.get("Version");
        if (actionParam == null || !actions.has(actionParam.get(0)) || (version != null && !version.get(0).equals(VERSION))) {
            return done(refusal("InvalidAction", "The action " + (actionParam == null ? "(none)" : actionParam.get(0))
                    + " is not valid for this endpoint (SQS, Version " + VERSION + ")."));
        }
        String action = actionParam.get(0);
        Map<String, String> single = new HashMap<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (p.getValue().size() > 1) {
                return done(refusal("InvalidParameterValue", "The parameter " + p.getKey() + " is given more than once."));
            }
            if (!p.getKey().equals("Action") && !p.getKey().equals("Version")) {
                single.put(p.getKey(), p.getValue().get(0));
            }
        }
        try {
            return actions.call(action, QueryForm.read(action, single), request.path(), request.baseUrl()).thenApply(outcome -> {
                String requestId = RequestIds.next();
                return outcome.error() != null ? reply(outcome.error(), requestId)
                        : new HttpExchange.Reply(200, CONTENT_TYPE, Map.of("x-amzn-RequestId", requestId),
                        QueryXml.response(action, outcome.answer(), requestId));
            });
        } catch (QueryForm.FormException | ProtoJson.ShapeException e) {
            return done(refusal("InvalidParameterValue", e.getMessage()));
        }
    }

    @Override
    public HttpExchange.Reply error(int httpStatus, String code, String message) {
        ErrorDetail error = ErrorDetail.newBuilder().setAwsCode(code).setMessage(message).setSenderFault(httpStatus < 500).build();
        String requestId = RequestIds.next();
        return new HttpExchange.Reply(httpStatus, CONTENT_TYPE, Map.of("x-amzn-RequestId", requestId),
                QueryXml.error(error, httpStatus < 500 ? "Sender" : "Receiver", requestId));
    }

    private static HttpExchange.Reply reply(ErrorDetail error, String requestId) {
        int status = HttpStatuses.of(error);
        return new HttpExchange.Reply(status, CONTENT_TYPE, Map.of("x-amzn-RequestId", requestId),
                QueryXml.error(error, status == 400 ? "Sender" : "Receiver", requestId));
    }

    private HttpExchange.Reply refusal(String code, String message) {
        return error(400, code, message);
    }

    private static CompletableFuture<HttpExchange.Reply> done(HttpExchange.Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static boolean isForm(HttpExchange request) {
        String contentType = request.header("content-type");
        return "POST".equals(request.method()) && contentType != null && contentType.startsWith("application/x-www-form-urlencoded");
    }

    /** The form's parameters: the POST body's if it is form-encoded, else the query string's. */
    private static Map<String, List<String>> params(HttpExchange request) {
        String encoded = isForm(request) ? new String(request.body(), StandardCharsets.UTF_8) : request.query();
        return new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false, MAX_PARAMETERS).parameters();
    }
}
