package io.pontoon.gateway.query;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.gateway.HttpExchange;
import io.pontoon.gateway.HttpStatuses;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.Protocol;
import io.pontoon.gateway.RequestIds;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The AWS Query protocol: {@code Action=Publish&Version=2010-03-31&TopicArn=...}, form-encoded in a POST body (or in
 * the query string of a GET), answered with XML. SNS speaks only this protocol; SQS spoke it before AWS JSON and
 * older SDKs still do. The form is read once; its {@code Version} names the service (or, when it is left out, the
 * action does: the services' action names are disjoint), which reads the form into its JSON shape, calls the action
 * and writes the answer's members. Errors are {@code <ErrorResponse>}.
 */
public final class QueryProtocol implements Protocol {
    private static final String CONTENT_TYPE = "text/xml";
    private static final int MAX_PARAMETERS = 1_024;
    private final List<QueryService> services;

    /** @param services the services served; the first also answers the errors found before its form is read */
    public QueryProtocol(List<QueryService> services) {
        this.services = List.copyOf(services);
    }

    /** Every request in the Query shape: a form POST, or a GET with a query string, and no {@code X-Amz-Target}. */
    @Override
    public boolean accepts(HttpExchange request) {
        return request.header("x-amz-target") == null && (isForm(request) || !request.query().isEmpty());
    }

    /**
     * SNS's ConfirmSubscription needs no signature, as in AWS (unless the subscription asks to authenticate
     * unsubscribes, which Pontoon does not offer): the token the endpoint was sent authorises it, and an endpoint
     * confirms by visiting the SubscribeURL it was given, unsigned.
     */
    @Override
    public boolean anonymous(HttpExchange request) {
        // Asked of every Query request when signatures are on: rule out the others without decoding their forms twice.
        if (!(isForm(request) ? contains(request.body(), CONFIRM_SUBSCRIPTION) : request.query().contains("ConfirmSubscription"))) {
            return false;
        }
        try {
            Map<String, List<String>> params = params(request);
            String version = first(params, "Version");
            return "ConfirmSubscription".equals(first(params, "Action")) && (version == null || version.equals("2010-03-31"));
        } catch (IllegalArgumentException badEncoding) {
            return false;
        }
    }

    @Override
    public CompletableFuture<HttpExchange.Reply> handle(HttpExchange request) {
        Map<String, List<String>> params;
        try {
            params = params(request);
        } catch (IllegalArgumentException badEncoding) {
            return done(error(services.get(0), 400, "MalformedQueryString", "The form is not valid: " + badEncoding.getMessage()));
        }
        String action = first(params, "Action");
        String version = first(params, "Version");
        QueryService service = serviceFor(action, version);
        if (service == null || action == null || !service.has(action)) {
            QueryService answering = service != null ? service : services.get(0);
            return done(error(answering, 400, "InvalidAction", "The action " + (action == null ? "(none)" : action)
                    + " is not valid for this endpoint" + (version == null ? "" : " and Version " + version) + "."));
        }
        Map<String, String> single = new HashMap<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (p.getValue().size() > 1) {
                return done(error(service, 400, service.invalidParameterCode(), "The parameter " + p.getKey() + " is given more than once."));
            }
            if (!p.getKey().equals("Action") && !p.getKey().equals("Version")) {
                single.put(p.getKey(), p.getValue().get(0));
            }
        }
        try {
            return service.call(action, single, request).thenApply(outcome -> {
                String requestId = RequestIds.next();
                return outcome.error() != null ? reply(service, outcome.error(), requestId)
                        : new HttpExchange.Reply(200, CONTENT_TYPE, Map.of("x-amzn-RequestId", requestId),
                        QueryXml.response(service, action, outcome.answer(), requestId));
            });
        } catch (FormTree.FormException | ProtoJson.ShapeException e) {
            return done(error(service, 400, service.invalidParameterCode(), e.getMessage()));
        }
    }

    @Override
    public HttpExchange.Reply error(int httpStatus, String code, String message) {
        return error(services.get(0), httpStatus, code, message);
    }

    private QueryService serviceFor(String action, String version) {
        for (QueryService service : services) {
            if (version != null ? service.version().equals(version) : action != null && service.has(action)) {
                return service;
            }
        }
        return null;
    }

    private static HttpExchange.Reply error(QueryService service, int httpStatus, String code, String message) {
        ErrorDetail error = ErrorDetail.newBuilder().setAwsCode(code).setMessage(message).setSenderFault(httpStatus < 500).build();
        return reply(service, error, httpStatus, RequestIds.next());
    }

    private static HttpExchange.Reply reply(QueryService service, ErrorDetail error, String requestId) {
        return reply(service, error, service.httpStatus(error), requestId);
    }

    private static HttpExchange.Reply reply(QueryService service, ErrorDetail error, int status, String requestId) {
        return new HttpExchange.Reply(status, CONTENT_TYPE, Map.of("x-amzn-RequestId", requestId),
                QueryXml.error(service.namespace(), error, status < 500 ? "Sender" : "Receiver", requestId));
    }

    private static final byte[] CONFIRM_SUBSCRIPTION = "ConfirmSubscription".getBytes(StandardCharsets.US_ASCII);

    private static boolean contains(byte[] haystack, byte[] needle) {
        return ByteBufUtil.indexOf(Unpooled.wrappedBuffer(needle), Unpooled.wrappedBuffer(haystack)) >= 0;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null ? null : values.get(0);
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
