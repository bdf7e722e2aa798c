package io.pontoon.core.topic;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.Utf8;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.TagRules;
import io.pontoon.core.topic.TopicCommand.PublishEntry;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Stateless checks of topic commands with SNS's limits and error codes. The serving node runs them before anything
 * is replicated; apply runs them again, so a command that skipped them becomes an error result, not a fault.
 */
public final class TopicValidator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_\\-.]{1,256}");
    private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\.[A-Za-z0-9_\\-.]{1,200})?");
    public static final TagRules TAGS = new TagRules("topic", ErrorCode.TAG_POLICY, ErrorCode.TAG_LIMIT_EXCEEDED);
    public static final Set<String> PROTOCOLS = Set.of("sqs", "http", "https", "stream");

    private TopicValidator() {
    }

    public static void topicName(String name) {
        if (name == null || !(NAME.matcher(name).matches() || FIFO_NAME.matcher(name).matches())) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Topic Name '" + TopicArns.shown(name)
                    + "': 1 to 256 letters, digits, hyphens and underscores (a FIFO topic's name ends in .fifo).");
        }
    }

    public static void validate(TopicCommand command) {
        switch (command) {
            case TopicCommand.CreateTopic c -> {
                topicName(c.name());
                c.attributes().forEach((k, v) -> TopicAttributes.topicAttribute(c.name(), k, v, true));
                if (c.name().endsWith(".fifo") && !"true".equals(c.attributes().get(TopicAttributes.FIFO_TOPIC))) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Fifo Topic names must end with .fifo and "
                            + "the FifoTopic attribute must be true: set FifoTopic=true to create " + c.name() + ".");
                }
                TAGS.tags(c.tags());
            }
            case TopicCommand.DeleteTopic d -> topicName(d.name());
            case TopicCommand.SetTopicAttribute s -> {
                topicName(s.name());
                TopicAttributes.topicAttribute(s.name(), s.attribute(), s.value(), false);
            }
            case TopicCommand.TagTopic t -> {
                topicName(t.name());
                TAGS.tags(t.tags());
                if (!t.removeKeys().isEmpty()) {
                    TAGS.keys(t.removeKeys());
                }
            }
            case TopicCommand.Subscribe s -> subscribe(s);
            case TopicCommand.ConfirmSubscription c -> {
                topicName(c.topic());
                if (c.token() == null || c.token().isEmpty() || c.token().length() > 2_048) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Token is required (at most 2048 characters).");
                }
            }
            case TopicCommand.Unsubscribe u -> {
                topicName(u.topic());
                subscriptionId(u.subscriptionId());
            }
            case TopicCommand.SetSubscriptionAttribute s -> {
                topicName(s.topic());
                subscriptionId(s.subscriptionId());
                if (s.attribute() == null) {
                    throw TopicAttributes.invalid("AttributeName", "required");
                }
            }
            case TopicCommand.Publish p -> publish(p);
            case TopicCommand.ForgetSubscription f -> {
                topicName(f.topic());
                subscriptionId(f.subscriptionId());
            }
            case TopicCommand.SettleDeliveries s -> {
                if (s.ordered().size() + s.httpOutcomes().size() > Limits.MAX_FANOUT_BATCH * 2) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER, "too many deliveries settled at once");
                }
            }
            case TopicCommand.DeadLetterDeliveries d -> {
                if (d.ordered().size() > Limits.MAX_FANOUT_BATCH * 2) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER, "too many deliveries dead-lettered at once");
                }
            }
        }
    }

    private static void subscribe(TopicCommand.Subscribe s) {
        topicName(s.topic());
        if (s.protocol() == null || !PROTOCOLS.contains(s.protocol())) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Protocol '" + TopicArns.shown(s.protocol())
                    + "': supported protocols are " + new java.util.TreeSet<>(PROTOCOLS) + ".");
        }
        endpoint(s.protocol(), s.endpoint());
        if (s.topic().endsWith(".fifo") && !(s.protocol().equals("sqs") && s.endpoint().endsWith(".fifo"))) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Endpoint: only FIFO queues (sqs, name ending .fifo) "
                    + "can subscribe to the FIFO topic " + s.topic() + ".");
        }
        s.attributes().forEach((k, v) -> TopicAttributes.subscriptionAttribute(s.protocol(), k, v, s.attributes()));
        if ((s.protocol().startsWith("http")) != (s.token() != null)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "an http(s) subscription carries a confirmation token, others none");
        }
    }

    /** An SQS endpoint is a queue ARN of this cluster; an HTTP(S) endpoint an absolute URL of its scheme. */
    public static void endpoint(String protocol, String endpoint) {
        if (endpoint == null || endpoint.isEmpty() || endpoint.length() > Limits.MAX_ENDPOINT_LENGTH) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Endpoint is required (at most "
                    + Limits.MAX_ENDPOINT_LENGTH + " characters).");
        }
        if (protocol.equals("stream")) {
            if (TopicArns.streamName(endpoint) == null) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: stream endpoint ARN '" + TopicArns.shown(endpoint)
                        + "' is not a stream ARN of this cluster (arn:aws:kinesis:pontoon:000000000000:stream/NAME).");
            }
            return;
        }
        if (protocol.equals("sqs")) {
            if (TopicArns.queueName(endpoint) == null) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: SQS endpoint ARN '" + TopicArns.shown(endpoint)
                        + "' is not a queue ARN of this cluster (arn:aws:sqs:pontoon:000000000000:QUEUE).");
            }
            return;
        }
        try {
            URI uri = new URI(endpoint);
            if (!protocol.equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Endpoint '" + TopicArns.shown(endpoint)
                    + "' is not an absolute " + protocol + ":// URL with a host.");
        }
    }

    static void subscriptionId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: SubscriptionArn has no valid subscription id.");
        }
    }

    private static void publish(TopicCommand.Publish p) {
        topicName(p.topic());
        if (p.requestId() != null && (p.requestId().isEmpty() || p.requestId().length() > 64)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "a publish's request id has 1 to 64 characters");
        }
        batch(p.entries());
        p.entries().forEach(TopicValidator::entry);
        p.entries().forEach(e -> fifo(p.topic(), e));
    }

    /**
     * A FIFO topic's message needs a MessageGroupId (its deduplication id may come from its content, which only the
     * topic's attributes tell: apply checks that); a standard topic's message has no deduplication id (its group id
     * is passed on, for fair queues).
     */
    public static void fifo(String topic, PublishEntry e) {
        if (topic.endsWith(".fifo") && e.groupId() == null) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
        }
        if (!topic.endsWith(".fifo") && e.deduplicationId() != null) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: MessageDeduplicationId Reason: The request includes "
                    + "MessageDeduplicationId parameter that is not valid for this topic type");
        }
    }

    /** The checks of a batch as a whole: 1 to 10 entries, distinct valid ids, at most 256 KiB in all. */
    public static void batch(List<PublishEntry> entries) {
        if (entries.isEmpty()) {
            throw new BrokerException(ErrorCode.SNS_EMPTY_BATCH, "The batch request doesn't contain any entries.");
        }
        if (entries.size() > Limits.MAX_PUBLISH_BATCH_ENTRIES) {
            throw new BrokerException(ErrorCode.SNS_TOO_MANY_ENTRIES, "The batch request contains more entries than permissible ("
                    + Limits.MAX_PUBLISH_BATCH_ENTRIES + "): " + entries.size() + ".");
        }
        long total = 0;
        Set<String> ids = new HashSet<>();
        for (PublishEntry e : entries) {
            total += e.sizeBytes();
            if (entries.size() > 1 || !e.id().isEmpty()) {
                if (!BATCH_ID.matcher(e.id()).matches()) {
                    throw new BrokerException(ErrorCode.SNS_INVALID_BATCH_ENTRY_ID, "The Id of a batch entry must be 1 to 80 letters, digits, "
                            + "hyphens and underscores: '" + TopicArns.shown(e.id()) + "'.");
                }
                if (!ids.add(e.id())) {
                    throw new BrokerException(ErrorCode.SNS_BATCH_IDS_NOT_DISTINCT, "Two or more batch entries have the Id '" + e.id() + "'.");
                }
            }
        }
        if (total > Limits.MAX_PUBLISH_BYTES) {
            throw new BrokerException(entries.size() > 1 ? ErrorCode.SNS_BATCH_TOO_LONG : ErrorCode.INVALID_PARAMETER,
                    (entries.size() > 1 ? "The batch's messages" : "Invalid parameter: Message too long: the message")
                            + " and attributes total " + total + " bytes; at most " + Limits.MAX_PUBLISH_BYTES + " are allowed.");
        }
    }

    /** One message: body, structure, subject, attributes. Thrown as InvalidParameter, naming the part. */
    public static void entry(PublishEntry e) {
        if (e.message() == null || e.message().isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Message must not be empty.");
        }
        if (!Utf8.isWellFormed(e.message())) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Message contains an unpaired surrogate.");
        }
        if (e.jsonStructure()) {
            if (!(TopicAttributes.json("Message", e.message()) instanceof Map<?, ?> m) || !(m.get("default") instanceof String)) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Message Structure - JSON message body "
                        + "must be an object with a top-level \"default\" key whose value is a string.");
            }
        }
        if (e.subject() != null) {
            String s = e.subject();
            if (s.isEmpty() || s.length() > Limits.MAX_SUBJECT_LENGTH || !s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)
                    || Character.isWhitespace(s.charAt(0))) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Subject must be 1 to " + Limits.MAX_SUBJECT_LENGTH
                        + " printable ASCII characters, without line breaks, not starting with a space.");
            }
        }
        if (e.attributes().size() > Limits.MAX_PUBLISH_ATTRIBUTES) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: MessageAttributes: at most "
                    + Limits.MAX_PUBLISH_ATTRIBUTES + " attributes, got " + e.attributes().size() + ".");
        }
        e.attributes().forEach(TopicValidator::attribute);
        fifoId("MessageGroupId", e.groupId());
        fifoId("MessageDeduplicationId", e.deduplicationId());
    }

    private static final Pattern FIFO_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    /** Group and deduplication ids: 1 to 128 printable ASCII characters without spaces (as SQS FIFO). */
    private static void fifoId(String what, String id) {
        if (id != null && !FIFO_ID.matcher(id).matches()) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: " + what + " must be 1 to "
                    + Limits.MAX_MESSAGE_GROUP_ID_LENGTH + " printable ASCII characters without spaces.");
        }
    }

    private static void attribute(String name, MessageAttribute a) {
        String where = "Invalid parameter: MessageAttributes: attribute '" + TopicArns.shown(name) + "' ";
        if (!ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || name.regionMatches(true, 0, "AWS.", 0, 4) || name.regionMatches(true, 0, "Amazon.", 0, 7)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, where + "has an invalid name: 1 to 256 letters, digits and _ - ., "
                    + "no leading, trailing or double dots, not starting with AWS. or Amazon.");
        }
        String type = a.dataType();
        if (type == null || !(DATA_TYPE.matcher(type).matches() || type.equals("String.Array"))) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, where + "has an invalid DataType '" + TopicArns.shown(type)
                    + "': String, String.Array, Number or Binary, optionally with a .suffix.");
        }
        if (a.isBinary()) {
            if (a.binaryValue() == null || a.binaryValue().length == 0) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER, where + "must have a non-empty BinaryValue.");
            }
            return;
        }
        if (a.stringValue() == null || a.stringValue().isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, where + "must have a non-empty StringValue.");
        }
        if (type.startsWith("Number")) {
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(a.stringValue().trim());
                if (d.abs().compareTo(java.math.BigDecimal.TEN.pow(9)) > 0 || Math.max(0, d.stripTrailingZeros().scale()) > 5) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException ex) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER, where + "is not a Number from -10^9 to 10^9 with at most 5 decimals.");
            }
        }
        if (type.equals("String.Array") && !(TopicAttributes.json("MessageAttributes", a.stringValue()) instanceof List<?>)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, where + "of type String.Array must be a JSON array.");
        }
    }
}
