package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.queue.ReceiptHandle;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.CreateQueue;
import io.pontoon.core.queue.QueueCommand.DeleteMessages;
import io.pontoon.core.queue.QueueCommand.DeleteQueue;
import io.pontoon.core.queue.QueueCommand.PurgeQueue;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueCommand.SendEntry;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.queue.QueueCommand.SetQueueAttributes;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.TagRules;
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
 * error code. Apply re-runs {@link #validate(QueueCommand)} so a command that bypassed the server's
 * checks gets a deterministic error result instead of corrupting state.
 */
public final class QueueValidator {
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_\\-]{1," + Limits.MAX_QUEUE_NAME_LENGTH + "}");
    private static final Pattern FIFO_QUEUE_NAME = Pattern.compile("[A-Za-z0-9_\\-]{1," + (Limits.MAX_QUEUE_NAME_LENGTH - 5) + "}\\.fifo");
    /** MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId: alphanumerics and punctuation. */
    private static final Pattern FIFO_TOKEN = Pattern.compile("[\\p{Alnum}\\p{Punct}]+");
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_\\-]{1," + Limits.MAX_BATCH_ENTRY_ID_LENGTH + "}");
    /** The AWS tag character set: letters, digits, white space and _ . : / = + - @ (length is checked apart). */

    private QueueValidator() {
    }

    /** Validates any partition command (dispatch over the closed set). */
    public static void validate(QueueCommand command) {
        switch (command) {
            case CreateQueue c -> createQueue(c.name(), c.attributes());
            case DeleteQueue d -> queueName(d.name());
            case SetQueueAttributes s -> {
                queueName(s.name());
                QueueAttributeNames.apply(s.name(), statelessBase(s.name()), s.attributes(), false);
            }
            case PurgeQueue p -> queueName(p.name());
            case SendMessages s -> sendBatch(s);
            case ReceiveMessages r -> {
                receive(r.queueName(), r.maxMessages(), null, r.visibilityTimeoutSeconds());
                optionalToken("ReceiveRequestAttemptId", r.receiveRequestAttemptId(), Limits.MAX_RECEIVE_REQUEST_ATTEMPT_ID_LENGTH);
                if (r.inFlightLimit() < 1 || r.inFlightLimit() > Limits.MAX_IN_FLIGHT_LIMIT) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "in-flight limit must be 1.." + Limits.MAX_IN_FLIGHT_LIMIT);
                }
            }
            case DeleteMessages d -> {
                queueName(d.queueName());
                batchIds(d.entries(), QueueCommand.DeleteEntry::id);
            }
            case ChangeMessageVisibility c -> {
                queueName(c.queueName());
                batchIds(c.entries(), QueueCommand.VisibilityEntryChange::id);
            }
            case QueueCommand.TagQueue t -> {
                queueName(t.name());
                tags(t.tags());
            }
            case QueueCommand.UntagQueue u -> {
                queueName(u.name());
                tagKeys(u.tagKeys());
            }
            case QueueCommand.IngestMessages in -> ingest(in);
            case QueueCommand.SettleOutbox so -> {
                if (so.delivered().size() + so.returned().size() > Limits.MAX_OUTBOX_BATCH) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "at most " + Limits.MAX_OUTBOX_BATCH + " outbox entries per settle");
                }
                if (java.util.stream.Stream.concat(so.delivered().stream(), so.returned().stream()).anyMatch(seq -> seq == null || seq < 0)) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "outbox seqs are non-negative");
                }
            }
            case QueueCommand.StartMoveTask st -> startMoveTask(st.sourceQueue(), st.destinationQueue(), st.maxPerSecond());
            case QueueCommand.CancelMoveTask ct -> {
                queueName(ct.sourceQueue());
                if (ct.taskId() < 0) {
                    throw new BrokerException(ErrorCode.RESOURCE_NOT_FOUND, "No message move task with this handle.");
                }
            }
        }
    }

    /**
     * The base for checking SetQueueAttributes without the stored queue: FIFO settings that accept either half of
     * the FifoThroughputLimit / DeduplicationScope pair, so only a pair given together is refused here; apply
     * checks a half against the stored other half.
     */
    private static QueueAttributes statelessBase(String name) {
        return QueueAttributes.isFifoName(name)
                ? QueueAttributes.DEFAULTS.withFifo(new io.pontoon.core.queue.FifoSettings(false,
                io.pontoon.core.queue.FifoSettings.DeduplicationScope.MESSAGE_GROUP, io.pontoon.core.queue.FifoSettings.FifoThroughputLimit.PER_QUEUE))
                : QueueAttributes.DEFAULTS;
    }

    /** Bounded, in ascending outbox order (the idempotence of ingest relies on it). */
    private static void ingest(QueueCommand.IngestMessages in) {
        if (in.sourcePartition() < 0 || in.sourcePartition() >= 2 * Limits.MAX_PARTITIONS) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "source partition out of range: " + in.sourcePartition());
        }
        if (in.messages().size() > Limits.MAX_OUTBOX_BATCH) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "at most " + Limits.MAX_OUTBOX_BATCH + " messages per ingest");
        }
        long previous = 0;
        for (QueueCommand.MovedMessage m : in.messages()) {
            if (m.outboxSeq() <= previous) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "ingested messages must be in ascending outbox order");
            }
            previous = m.outboxSeq();
            queueName(m.queueName());
        }
    }

    /** StartMessageMoveTask: 1..500 messages per second; a destination of the same type as the source. */
    public static void startMoveTask(String source, String destination, Integer maxPerSecond) {
        queueName(source);
        if (destination != null) {
            queueName(destination);
            if (QueueAttributes.isFifoName(destination) != QueueAttributes.isFifoName(source)) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "The destination queue must be of the same type (FIFO or standard) as the source.");
            }
        }
        if (maxPerSecond != null && (maxPerSecond < 1 || maxPerSecond > Limits.MAX_MOVE_MESSAGES_PER_SECOND)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + maxPerSecond + " for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be between 1 and "
                            + Limits.MAX_MOVE_MESSAGES_PER_SECOND + ".");
        }
    }

    /** A FIFO token parameter: null (absent) or 1..max characters of alphanumerics and punctuation. */
    private static void optionalToken(String parameter, String value, int maxLength) {
        if (value != null && (value.isEmpty() || value.length() > maxLength || !FIFO_TOKEN.matcher(value).matches())) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Value " + value + " for parameter " + parameter
                    + " is invalid. Reason: must be 1 to " + maxLength + " alphanumeric or punctuation characters.");
        }
    }

    public static void validate(QueueQuery query) {
        switch (query) {
            case QueueQuery.GetQueueUrl g -> queueName(g.name());
            case QueueQuery.GetQueueAttributes g -> {
                queueName(g.name());
                attributeNames(g.attributeNames());
            }
            case QueueQuery.ListQueues l -> listQueues(l.prefix(), l.maxResults());
            case QueueQuery.QueueStats s -> queueName(s.name());
            case QueueQuery.Receivable r -> queueName(r.name());
            case QueueQuery.DeadLetterSources d -> queueName(d.deadLetterQueue());
            case QueueQuery.ListMoveTasks l -> {
                queueName(l.sourceQueue());
                if (l.maxResults() < 1 || l.maxResults() > Limits.MAX_LIST_MOVE_TASKS_RESULTS) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                            "Value " + l.maxResults() + " for parameter MaxResults is invalid. Reason: must be between 1 and " + Limits.MAX_LIST_MOVE_TASKS_RESULTS + ".");
                }
            }
            case QueueQuery.ReadOutbox o -> {
                if (o.limit() < 1 || o.limit() > Limits.MAX_OUTBOX_BATCH || o.maxBytes() < 1) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                            "outbox reads take 1 to " + Limits.MAX_OUTBOX_BATCH + " entries and a positive byte bound");
                }
            }
            case QueueQuery.ListQueueTags t -> queueName(t.name());
            case QueueQuery.OutboxStats o -> {
            }
            case QueueQuery.ReadPayloads p -> {
                if (p.seqs().isEmpty() || p.seqs().size() > Limits.MAX_RECEIVE_MESSAGES) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                            "payload reads take 1 to " + Limits.MAX_RECEIVE_MESSAGES + " messages");
                }
            }
        }
    }

    /** 1-80 chars of [A-Za-z0-9_-]; a FIFO queue's name ends in ".fifo", which counts towards the 80. */
    public static void queueName(String name) {
        if (name == null || !(QUEUE_NAME.matcher(name).matches() || FIFO_QUEUE_NAME.matcher(name).matches())) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    /** Builds the typed attributes of a CreateQueue request from its SQS-named attributes and tags. */
    public static QueueAttributes createQueueAttributes(String name, Map<String, String> attributes, Map<String, String> tags) {
        queueName(name);
        tags(tags);
        return QueueAttributeNames.apply(name, QueueAttributes.DEFAULTS.withTags(tags), attributes, true);
    }

    public static void createQueue(String name, QueueAttributes attributes) {
        queueName(name);
        QueueAttributeNames.check(name, attributes);
        tags(attributes.tags());
    }

    /** The AWS tag rules (TagRules), answered with SQS's code. */
    private static final TagRules TAGS = new TagRules("queue", ErrorCode.INVALID_PARAMETER_VALUE, ErrorCode.INVALID_PARAMETER_VALUE);

    /** At most 50 tags; keys 1-128 and values 0-256 characters of the AWS tag character set; no "aws:" key prefix. */
    public static void tags(Map<String, String> tags) {
        TAGS.tags(tags);
    }

    /** UntagQueue's keys: 1 to 50 keys, each a valid tag key. */
    public static void tagKeys(List<String> keys) {
        TAGS.keys(keys);
    }

    /**
     * The rules of a send that fail the whole call (AWS): the queue name, 1-10 entries, distinct valid entry ids,
     * and the total size of all entries. An entry that breaks a rule of its own fails alone ({@link #sendEntryRefusal}).
     */
    public static void sendBatch(SendMessages send) {
        queueName(send.queueName());
        batchIds(send.entries(), SendEntry::id);
        long total = 0;
        for (SendEntry e : send.entries()) {
            total += messageSize(e.body() == null ? "" : e.body(), e.attributes());
        }
        if (total > Limits.MAX_BATCH_SIZE_BYTES) {
            throw new BrokerException(ErrorCode.BATCH_REQUEST_TOO_LONG,
                    "Batch requests cannot be longer than " + Limits.MAX_BATCH_SIZE_BYTES + " bytes. You have sent " + total + " bytes.");
        }
    }

    /**
     * Every rule of a send, each entry's first: for a single SendMessage, whose one entry failing fails the call
     * (a 1 MiB + 1 byte body is InvalidParameterValue there, not BatchRequestTooLong).
     */
    public static void sendMessages(SendMessages send) {
        queueName(send.queueName());
        boolean fifo = QueueAttributes.isFifoName(send.queueName());
        for (SendEntry e : send.entries()) {
            sendEntry(e, fifo);
        }
        sendBatch(send);
    }

    /** Why {@code e} cannot be sent to a queue of this type, as its batch result entry; null if it can. */
    public static QueueResult.EntryFailure sendEntryRefusal(SendEntry e, boolean fifoQueue) {
        return entryRefusal(e.id(), () -> sendEntry(e, fifoQueue));
    }

    /** Runs an entry's checks and turns the first broken rule into the entry's failure (SenderFault). */
    public static QueueResult.EntryFailure entryRefusal(String id, Runnable checks) {
        try {
            checks.run();
            return null;
        } catch (BrokerException ex) {
            return new QueueResult.EntryFailure(id, ex.code(), ex.getMessage(), true);
        }
    }

    /** One entry's rules: body, attributes, delay, size, FIFO fields, system attributes. Returns the entry's size in bytes. */
    public static long sendEntry(SendEntry e, boolean fifo) {
        long size = sendEntry(e);
        fifoFields(fifo, e);
        systemAttributes(e.systemAttributes());
        return size;
    }

    /** Message system attributes: only AWSTraceHeader exists (AWS), a String. */
    public static void systemAttributes(Map<String, MessageAttribute> attributes) {
        for (Map.Entry<String, MessageAttribute> a : attributes.entrySet()) {
            if (!Limits.TRACE_HEADER_ATTRIBUTE.equals(a.getKey())) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Message system attribute name '" + a.getKey()
                        + "' is invalid. The only message system attribute is " + Limits.TRACE_HEADER_ATTRIBUTE + ".");
            }
            if (a.getValue() == null || !"String".equals(a.getValue().dataType()) || a.getValue().stringValue() == null) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Message system attribute " + Limits.TRACE_HEADER_ATTRIBUTE
                        + " must be of data type String.");
            }
            traceHeader(a.getValue().stringValue());
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
        return messageSizeWithinLimit(e);
    }

    /**
     * The size rule of one message, returning its size. A single SendMessage checks it before the batch rules, so a
     * body over the limit is InvalidParameterValue there, not BatchRequestTooLong (the two limits are equal).
     */
    public static long messageSizeWithinLimit(SendEntry e) {
        long size = messageSize(e.body() == null ? "" : e.body(), e.attributes());
        if (size > Limits.MAX_MESSAGE_SIZE_BYTES) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "One or more parameters are invalid. Reason: Message must be at most " + Limits.MAX_MESSAGE_SIZE_BYTES
                            + " bytes (body and attributes); it is " + size + " bytes.");
        }
        return size;
    }

    /** The AWSTraceHeader system attribute: absent, or 1 to 2,048 characters of the message body character set. */
    public static void traceHeader(String value) {
        if (value != null && (value.isEmpty() || value.length() > Limits.MAX_TRACE_HEADER_LENGTH || !BodyRules.allowedCharacters(value))) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Value for message system attribute " + Limits.TRACE_HEADER_ATTRIBUTE
                    + " is invalid. Reason: must be 1 to " + Limits.MAX_TRACE_HEADER_LENGTH + " characters.");
        }
    }

    /** FIFO: MessageGroupId required, no per-message delay. Standard: MessageGroupId optional, no dedup id. */
    private static void fifoFields(boolean fifo, SendEntry e) {
        optionalToken("MessageGroupId", e.groupId(), Limits.MAX_MESSAGE_GROUP_ID_LENGTH);
        optionalToken("MessageDeduplicationId", e.deduplicationId(), Limits.MAX_DEDUPLICATION_ID_LENGTH);
        if (fifo && e.groupId() == null) {
            throw new BrokerException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter MessageGroupId.");
        }
        if (fifo && e.delaySeconds() != null) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + e.delaySeconds() + " for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.");
        }
        if (!fifo && e.deduplicationId() != null) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "The request include parameter MessageDeduplicationId that is not valid for this queue type.");
        }
    }

    /** Size as SQS counts it against MaximumMessageSize: the UTF-8 body and the attributes' names, types and values. */
    public static long messageSize(String body, Map<String, MessageAttribute> attributes) {
        return io.pontoon.core.codec.Utf8.length(body) + io.pontoon.core.queue.MessagePayload.attributesBytes(attributes);
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

    /** Why a DeleteMessageBatch entry fails on its own (a malformed receipt handle); null if it does not. */
    public static QueueResult.EntryFailure deleteEntryRefusal(QueueCommand.DeleteEntry e) {
        return entryRefusal(e.id(), () -> receiptHandle(e.receiptHandle()));
    }

    /** Why a ChangeMessageVisibilityBatch entry fails on its own (a malformed handle, a timeout out of range); null if not. */
    public static QueueResult.EntryFailure visibilityEntryRefusal(QueueCommand.VisibilityEntryChange e) {
        return entryRefusal(e.id(), () -> {
            receiptHandle(e.receiptHandle());
            visibilityTimeout(e.visibilityTimeoutSeconds());
        });
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
