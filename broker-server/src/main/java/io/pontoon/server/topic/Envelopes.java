package io.pontoon.server.topic;

import io.pontoon.core.codec.Json;
import io.pontoon.core.topic.MessageAttribute;
import io.pontoon.core.topic.PublishedMessage;
import io.pontoon.core.topic.TopicArns;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a subscriber receives: the SNS JSON envelope (Type, MessageId, TopicArn, Subject, Message, Timestamp, ...) or,
 * with RawMessageDelivery, the message alone. Everything derives from the stored message, so a resend renders the
 * same bytes. A message published with MessageStructure=json gives each protocol its own text ("sqs", "http",
 * "https"), else "default". Envelopes are not signed yet: SignatureVersion is given, Signature and SigningCertURL are not.
 */
final class Envelopes {
    private Envelopes() {
    }

    /** The text the message has for {@code protocol}. */
    static String text(PublishedMessage m, String protocol) {
        if (!m.jsonStructure()) {
            return m.message();
        }
        Map<?, ?> structure = (Map<?, ?>) Json.parse(m.message());
        Object own = structure.get(protocol);
        return own instanceof String s ? s : (String) structure.get("default");
    }

    static String notification(PublishedMessage m, String protocol, String subscriptionArn) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Type", "Notification");
        e.put("MessageId", m.messageId());
        e.put("TopicArn", TopicArns.topic(m.topic()));
        if (m.subject() != null) {
            e.put("Subject", m.subject());
        }
        e.put("Message", text(m, protocol));
        e.put("Timestamp", Instant.ofEpochMilli(m.publishedMs()).toString());
        e.put("SignatureVersion", "1");
        e.put("UnsubscribeURL", "pontoon:Unsubscribe?SubscriptionArn=" + subscriptionArn);
        if (!m.attributes().isEmpty()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            m.attributes().forEach((k, a) -> attrs.put(k, attribute(a)));
            e.put("MessageAttributes", attrs);
        }
        return Json.write(e);
    }

    static String confirmation(String topic, String token, String messageId, long nowMs) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Type", "SubscriptionConfirmation");
        e.put("MessageId", messageId);
        e.put("Token", token);
        e.put("TopicArn", TopicArns.topic(topic));
        e.put("Message", "You have chosen to subscribe to the topic " + TopicArns.topic(topic)
                + ".\nTo confirm the subscription, call ConfirmSubscription with this Token.");
        e.put("SubscribeURL", "pontoon:ConfirmSubscription?TopicArn=" + TopicArns.topic(topic) + "&Token=" + token);
        e.put("Timestamp", Instant.ofEpochMilli(nowMs).toString());
        e.put("SignatureVersion", "1");
        return Json.write(e);
    }

    private static Map<String, Object> attribute(MessageAttribute a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Type", a.dataType());
        v.put("Value", a.isBinary() ? Base64.getEncoder().encodeToString(a.binaryValue()) : a.stringValue());
        return v;
    }

    /** The id a delivered queue message gets: the same for every resend of one message to one subscription. */
    static String queueMessageId(String messageId, String subscriptionArn, boolean deadLetter) {
        return UUID.nameUUIDFromBytes((messageId + "|" + subscriptionArn + (deadLetter ? "|dlq" : "")).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
