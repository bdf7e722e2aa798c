package io.pontoon.server.topic;

import io.pontoon.core.codec.Json;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.topic.MessageAttribute;
import io.pontoon.core.topic.PublishedMessage;
import io.pontoon.core.topic.TopicArns;
import io.pontoon.core.topic.TopicAttributes;
import io.pontoon.core.topic.TopicQuery;
import io.pontoon.core.topic.TopicQueryResult;
import io.pontoon.server.partition.PartitionAccess;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a subscriber receives: the SNS JSON envelope (Type, MessageId, TopicArn, Subject, Message, Timestamp, ...) or,
 * with RawMessageDelivery, the message alone. A message published with MessageStructure=json gives each protocol its
 * own text ("sqs", "http", "https"), else "default". Envelopes are signed as AWS SNS signs them ({@link EnvelopeSigner},
 * SIGNING.md): the topic's SignatureVersion attribute picks SHA1withRSA (1, the default) or SHA256withRSA (2), and
 * SignatureVersion, Signature and SigningCertURL come after Timestamp, where AWS puts them. Everything derives from the
 * stored message, so a resend renders the same bytes, except that the signature fields are those of the node that
 * delivers (its own key and certificate URL).
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

    /** The SignatureVersion a topic's envelopes are signed with: its attribute, "1" when it has none (as AWS). */
    static String signatureVersion(Map<String, String> topicAttributes) {
        String v = topicAttributes.get(TopicAttributes.SIGNATURE_VERSION);
        return "2".equals(v) ? "2" : "1";
    }

    /**
     * The SignatureVersion of {@code topic}, read from this node's replica of its partition {@code p}: one local read. A topic
     * deleted meanwhile (its deliveries may still be waiting) signs with the default, "1".
     */
    static String signatureVersion(PartitionAccess partitions, int p, String topic) {
        QueryResult r = partitions.localRead(p, new TopicQuery.GetTopic(topic));
        return r instanceof TopicQueryResult.TopicFound f ? signatureVersion(f.topic().attributes()) : "1";
    }

    static String notification(PublishedMessage m, String protocol, String subscriptionArn, EnvelopeSigner signer, String signatureVersion,
                               EnvelopeLinks links) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Type", "Notification");
        e.put("MessageId", m.messageId());
        if (m.groupId() != null) {
            e.put("SequenceNumber", PublishedMessage.sequenceNumberOf(m.seq())); // a FIFO topic's notifications carry it (not signed, as in AWS)
        }
        e.put("TopicArn", links.arn(TopicArns.topic(m.topic())));
        if (m.subject() != null) {
            e.put("Subject", m.subject());
        }
        e.put("Message", text(m, protocol));
        e.put("Timestamp", Instant.ofEpochMilli(m.publishedMs()).toString());
        signer.sign(e, signatureVersion);
        e.put("UnsubscribeURL", links.unsubscribe(subscriptionArn));
        if (!m.attributes().isEmpty()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            m.attributes().forEach((k, a) -> attrs.put(k, attribute(a)));
            e.put("MessageAttributes", attrs);
        }
        return Json.write(e);
    }

    static String confirmation(String topic, String token, String messageId, long nowMs, EnvelopeSigner signer, String signatureVersion,
                               EnvelopeLinks links) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Type", "SubscriptionConfirmation");
        e.put("MessageId", messageId);
        e.put("Token", token);
        e.put("TopicArn", links.arn(TopicArns.topic(topic)));
        e.put("Message", "You have chosen to subscribe to the topic " + links.arn(TopicArns.topic(topic))
                + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        e.put("SubscribeURL", links.subscribe(TopicArns.topic(topic), token));
        e.put("Timestamp", Instant.ofEpochMilli(nowMs).toString());
        signer.sign(e, signatureVersion);
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
