package io.pontoon.server.topic;

import io.pontoon.api.AwsIdentity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The SubscribeURL and UnsubscribeURL an envelope carries. With the AWS gateway on, they are this node's SNS Query
 * endpoint ({@code http://host:port/?Action=ConfirmSubscription&TopicArn=...&Token=...}), so that a subscriber
 * written for AWS confirms by visiting the link, as SNS's documentation tells it to; without a gateway there is no
 * HTTP API to visit, and the links name the action to call instead ({@code pontoon:ConfirmSubscription?...}).
 * ARNs go in as they are, as AWS writes them (their characters need no escaping in a query); the token is escaped.
 * Node-local, like SigningCertURL: the node that delivers renders them, and with them every ARN a delivery shows
 * (envelope and headers), in the cluster's configured {@link AwsIdentity}.
 */
public final class EnvelopeLinks {
    private final Supplier<String> gatewayBaseUrl;
    private final AwsIdentity identity;

    /**
     * @param gatewayBaseUrl this node's gateway ({@code http://host:port}), or null while there is none
     * @param identity       the region and account id ARNs show
     */
    public EnvelopeLinks(Supplier<String> gatewayBaseUrl, AwsIdentity identity) {
        this.gatewayBaseUrl = gatewayBaseUrl;
        this.identity = identity;
    }

    public static EnvelopeLinks none() {
        return new EnvelopeLinks(() -> null, AwsIdentity.CANONICAL);
    }

    /** A canonical ARN (as the core writes it) as subscribers see it. */
    String arn(String canonicalArn) {
        return identity.toExternal(canonicalArn);
    }

    /** @param topicArn canonical */
    String subscribe(String topicArn, String token) {
        return link("ConfirmSubscription", "TopicArn=" + arn(topicArn) + "&Token=" + encode(token));
    }

    /** @param subscriptionArn canonical */
    String unsubscribe(String subscriptionArn) {
        return link("Unsubscribe", "SubscriptionArn=" + arn(subscriptionArn));
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
