package io.pontoon.core.validation;

import io.pontoon.core.Limits;
import io.pontoon.core.ReceiptHandle;
import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.command.PartitionCommand.ChangeMessageVisibility;
import io.pontoon.core.command.PartitionCommand.CreateQueue;
import io.pontoon.core.command.PartitionCommand.DeleteMessages;
import io.pontoon.core.command.PartitionCommand.DeleteQueue;
import io.pontoon.core.command.PartitionCommand.PurgeQueue;
import io.pontoon.core.command.PartitionCommand.ReceiveMessages;
import io.pontoon.core.command.PartitionCommand.SendEntry;
import io.pontoon.core.command.PartitionCommand.SendMessages;
import io.pontoon.core.command.PartitionCommand.SetQueueAttributes;
import io.pontoon.core.command.PartitionCommand.Tick;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Stateless checks run before a request is replicated; each throws {@link BrokerException} with the AWS
 * error code. Apply re-runs {@link #validate(PartitionCommand)} so a command that bypassed the server's
 * checks gets a deterministic error result instead of corrupting state.
 */
public final class RequestValidator {
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_\\-]{1," + Limits.MAX_QUEUE_NAME_LENGTH + "}");
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_\\-]{1," + Limits.MAX_BATCH_ENTRY_ID_LENGTH + "}");

    private RequestValidator() {
    }

    /** Validates any partition command (dispatch over the closed set). */
    public static void validate(PartitionCommand command) {
        switch (command) {
            case CreateQueue c -> createQueue(c.name(), c.attributes());
            case DeleteQueue d -> queueName(d.name());
            case SetQueueAttributes s -> {
                queueName(s.name());
                QueueAttributeNames.apply(QueueAttributes.DEFAULTS, s.attributes(), false);
            }
            case PurgeQueue p -> queueName(p.name());
            case SendMessages s -> sendMessages(s);
            case ReceiveMessages r -> receive(r.queueName(), r.maxMessages(), null, r.visibilityTimeoutSeconds());
            case DeleteMessages d -> {
                queueName(d.queueName());
                batchIds(d.entries(), PartitionCommand.DeleteEntry::id);
                d.entries().forEach(e -> receiptHandle(e.receiptHandle()));
            }
            case ChangeMessageVisibility c -> {
                queueName(c.queueName());
                batchIds(c.entries(), PartitionCommand.VisibilityEntryChange::id);
                c.entries().forEach(e -> {
                    receiptHandle(e.receiptHandle());
                    visibilityTimeout(e.visibilityTimeoutSeconds());
                });
            }
            case Tick t -> {
            }
        }
    }

    public static void validate(PartitionQuery query) {
        switch (query) {
            case PartitionQuery.GetQueueUrl g -> queueName(g.name());
            case PartitionQuery.GetQueueAttributes g -> {
                queueName(g.name());
                attributeNames(g.attributeNames());
            }
            case PartitionQuery.ListQueues l -> listQueues(l.prefix(), l.maxResults());
            case PartitionQuery.QueueStats s -> queueName(s.name());
        }
    }

    /** 1-80 chars of [A-Za-z0-9_-]; a ".fifo" name is a FIFO queue, not supported yet. */
    public static void queueName(String name) {
        if (name != null && name.endsWith(".fifo") && name.length() <= Limits.MAX_QUEUE_NAME_LENGTH) {
            throw new BrokerException(ErrorCode.UNSUPPORTED_OPERATION, "FIFO queues are not supported yet");
        }
        if (name == null || !QUEUE_NAME.matcher(name).matches()) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    /** Builds the typed attributes of a CreateQueue request from its SQS-named attributes and tags. */
    public static QueueAttributes createQueueAttributes(Map<String, String> attributes, Map<String, String> tags) {
        tags(tags);
        return QueueAttributeNames.apply(new QueueAttributes(
                QueueAttributes.DEFAULTS.visibilityTimeoutSeconds(), QueueAttributes.DEFAULTS.messageRetentionPeriodSeconds(),
                QueueAttributes.DEFAULTS.delaySeconds(), QueueAttributes.DEFAULTS.receiveMessageWaitTimeSeconds(),
                QueueAttributes.DEFAULTS.maximumMessageSizeBytes(), tags), attributes, true);
    }

    public static void createQueue(String name, QueueAttributes attributes) {
        queueName(name);
        QueueAttributeNames.check(attributes);
        tags(attributes.tags());
    }

    /** Validates SetQueueAttributes' SQS-named attributes. */
    public static void setQueueAttributes(Map<String, String> attributes) {
        QueueAttributeNames.apply(QueueAttributes.DEFAULTS, attributes, false);
    }

    public static void tags(Map<String, String> tags) {
        if (tags.size() > Limits.MAX_TAGS) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Too many tags: " + tags.size() + " > " + Limits.MAX_TAGS);
        }
        tags.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.length() > Limits.MAX_TAG_KEY_LENGTH) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Tag key must be 1 to " + Limits.MAX_TAG_KEY_LENGTH + " characters");
            }
            if (v == null || v.length() > Limits.MAX_TAG_VALUE_LENGTH) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Tag value must be at most " + Limits.MAX_TAG_VALUE_LENGTH + " characters");
            }
        });
    }

    public static void sendMessages(SendMessages send) {
        queueName(send.queueName());
        batchIds(send.entries(), SendEntry::id);
        long total = 0;
        for (SendEntry e : send.entries()) {
            total += sendEntry(e);
        }
        if (total > Limits.MAX_BATCH_SIZE_BYTES) {
            throw new BrokerException(ErrorCode.BATCH_REQUEST_TOO_LONG,
                    "Batch requests cannot be longer than " + Limits.MAX_BATCH_SIZE_BYTES + " bytes. You have sent " + total + " bytes.");
        }
    }

    /** Checks one message and returns its size in bytes (body + attribute names, types and values). */
    public static long sendEntry(SendEntry e) {
        messageBody(e.body());
        MessageAttributeRules.check(e.attributes());
        if (e.delaySeconds() != null && (e.delaySeconds() < 0 || e.delaySeconds() > Limits.MAX_DELAY_SECONDS)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + e.delaySeconds() + " for parameter DelaySeconds is invalid. Reason: must be between 0 and " + Limits.MAX_DELAY_SECONDS + ".");
        }
        long size = messageSize(e.body(), e.attributes());
        if (size > Limits.MAX_MESSAGE_SIZE_BYTES) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "One or more parameters are invalid. Reason: Message must be shorter than " + Limits.MAX_MESSAGE_SIZE_BYTES + " bytes.");
        }
        return size;
    }

    /** Size as SQS counts it against MaximumMessageSize. */
    public static long messageSize(String body, Map<String, MessageAttribute> attributes) {
        return MessageAttributeRules.utf8Length(body) + MessageAttributeRules.sizeBytes(attributes);
    }

    public static void messageBody(String body) {
        if (body == null || body.isEmpty()) {
            throw new BrokerException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter MessageBody.");
        }
        if (!BodyRules.allowedCharacters(body)) {
            throw new BrokerException(ErrorCode.INVALID_MESSAGE_CONTENTS, "Invalid characters found in the message body.");
        }
    }

    public static void messageAttributes(Map<String, MessageAttribute> attributes) {
        MessageAttributeRules.check(attributes);
    }

    /** ReceiveMessage parameters; null means "not given". */
    public static void receive(String queueName, int maxMessages, Integer waitTimeSeconds, Integer visibilityTimeoutSeconds) {
        queueName(queueName);
        if (maxMessages < 1 || maxMessages > Limits.MAX_RECEIVE_MESSAGES) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + maxMessages + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and " + Limits.MAX_RECEIVE_MESSAGES + ", if provided.");
        }
        if (waitTimeSeconds != null && (waitTimeSeconds < 0 || waitTimeSeconds > Limits.MAX_WAIT_TIME_SECONDS)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + waitTimeSeconds + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= " + Limits.MAX_WAIT_TIME_SECONDS + ", if provided.");
        }
        if (visibilityTimeoutSeconds != null) {
            visibilityTimeout(visibilityTimeoutSeconds);
        }
    }

    public static void visibilityTimeout(int seconds) {
        if (seconds < 0 || seconds > Limits.MAX_VISIBILITY_TIMEOUT_SECONDS) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + seconds + " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and " + Limits.MAX_VISIBILITY_TIMEOUT_SECONDS + ".");
        }
    }

    public static ReceiptHandle receiptHandle(String handle) {
        return ReceiptHandle.parse(handle);
    }

    public static void listQueues(String prefix, Integer maxResults) {
        if (prefix != null && prefix.length() > Limits.MAX_QUEUE_NAME_LENGTH) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "QueueNamePrefix is longer than " + Limits.MAX_QUEUE_NAME_LENGTH + " characters");
        }
        if (maxResults != null && (maxResults < 1 || maxResults > Limits.MAX_LIST_QUEUES_RESULTS)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + maxResults + " for parameter MaxResults is invalid. Reason: must be between 1 and " + Limits.MAX_LIST_QUEUES_RESULTS + ".");
        }
    }

    public static void attributeNames(List<String> names) {
        if (names.size() > Limits.MAX_ATTRIBUTE_NAMES_PER_GET) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Too many attribute names: " + names.size());
        }
        for (String n : names) {
            if (!QueueAttributeNames.isGettable(n)) {
                throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_NAME, "Unknown Attribute " + n + ".");
            }
        }
    }

    /** 1-10 entries, ids of [A-Za-z0-9_-]{1,80}, all distinct. */
    public static <T> void batchIds(List<T> entries, Function<T, String> id) {
        if (entries.isEmpty()) {
            throw new BrokerException(ErrorCode.EMPTY_BATCH_REQUEST, "There should be at least one entry in the request.");
        }
        if (entries.size() > Limits.MAX_BATCH_ENTRIES) {
            throw new BrokerException(ErrorCode.TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
                    "Maximum number of entries per request are " + Limits.MAX_BATCH_ENTRIES + ". You have sent " + entries.size() + ".");
        }
        Set<String> seen = new HashSet<>();
        for (T entry : entries) {
            String entryId = id.apply(entry);
            if (entryId == null || !BATCH_ID.matcher(entryId).matches()) {
                throw new BrokerException(ErrorCode.INVALID_BATCH_ENTRY_ID,
                        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
            }
            if (!seen.add(entryId)) {
                throw new BrokerException(ErrorCode.BATCH_ENTRY_IDS_NOT_DISTINCT, "Id " + entryId + " repeated.");
            }
        }
    }
}
