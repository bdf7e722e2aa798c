package io.pontoon.server.topic;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The SubscribeURL and UnsubscribeURL an envelope carries. With the AWS gateway on, they are this node's SNS Query
 * endpoint ({@code http://host:port/?Action=ConfirmSubscription&TopicArn=...&Token=...}), so that a subscriber
 * written for AWS confirms by visiting the link, as SNS's documentation tells it to; without a gateway there is no
 * HTTP API to visit, and the links name the action to call instead ({@code pontoon:ConfirmSubscription?...}).
 * ARNs go in as they are, as AWS writes them (their characters need no escaping in a query); the token is escaped.
 * Node-local, like SigningCertURL: the node that delivers renders them.
 */
public final class EnvelopeLinks {
    private final Supplier<String> gatewayBaseUrl;

    /** @param gatewayBaseUrl this node's gateway ({@code http://host:port}), or null while there is none */
    public EnvelopeLinks(Supplier<String> gatewayBaseUrl) {
        this.gatewayBaseUrl = gatewayBaseUrl;
    }

    public static EnvelopeLinks none() {
        return new EnvelopeLinks(() -> null);
    }

    String subscribe(String topicArn, String token) {
        return link("ConfirmSubscription", "TopicArn=" + topicArn + "&Token=" + encode(token));
    }

    String unsubscribe(String subscriptionArn) {
        return link("Unsubscribe", "SubscriptionArn=" + subscriptionArn);
    }

    private String link(String action, String parameters) {
        String base = gatewayBaseUrl.get();
        return base == null ? "pontoon:" + action + "?" + parameters
                : base + "/?Action=" + action + "&Version=2010-03-31&" + parameters;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
