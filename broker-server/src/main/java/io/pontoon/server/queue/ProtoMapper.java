package io.pontoon.server.queue;

import io.pontoon.server.grpc.GrpcErrors;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueQueryResult;
import com.google.protobuf.ByteString;
import io.pontoon.api.v1.*;
import io.pontoon.core.queue.Md5s;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.MessageAttribute;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Wire messages to core commands and core results to wire messages. No logic beyond the SQS naming rules. */
final class ProtoMapper {
    private static final List<String> ALL = List.of("All", ".*");

    private ProtoMapper() {
    }

    /** Empty group and dedup ids mean absent (proto3 strings). */
    static QueueCommand.SendEntry sendEntry(String id, String body, Integer delaySeconds, Map<String, MessageAttributeValue> attrs,
                                                String groupId, String deduplicationId, Map<String, MessageAttributeValue> systemAttrs) {
        return new QueueCommand.SendEntry(id, body, toCore(attrs), delaySeconds, emptyToNull(groupId), emptyToNull(deduplicationId),
                toCore(systemAttrs));
    }

    static QueueCommand.SendEntry sendEntry(SendMessageRequest req) {
        return sendEntry("0", req.getMessageBody(), req.hasDelaySeconds() ? req.getDelaySeconds() : null, req.getMessageAttributesMap(),
                req.getMessageGroupId(), req.getMessageDeduplicationId(), req.getMessageSystemAttributesMap());
    }

    static QueueCommand.SendMessages sendBatch(String queue, List<SendMessageBatchRequestEntry> entries) {
        return new QueueCommand.SendMessages(queue, entries.stream()
                .map(e -> sendEntry(e.getId(), e.getMessageBody(), e.hasDelaySeconds() ? e.getDelaySeconds() : null, e.getMessageAttributesMap(),
                        e.getMessageGroupId(), e.getMessageDeduplicationId(), e.getMessageSystemAttributesMap()))
                .toList());
    }

    private static SortedMap<String, MessageAttribute> toCore(Map<String, MessageAttributeValue> attrs) {
        SortedMap<String, MessageAttribute> out = new TreeMap<>();
        attrs.forEach((name, v) -> out.put(name, toCore(v)));
        return out;
    }

    /** MD5s are computed here, once, by the node that answers (they check the wire, they are not state). */
    static SendMessageResponse singleSend(QueueCommand.SendMessages request, QueueResult.Sent sent) {
        if (!sent.failed().isEmpty()) {
            QueueResult.EntryFailure f = sent.failed().get(0);
            throw new BrokerException(f.code(), f.message());
        }
        QueueCommand.SendEntry entry = request.entries().get(0);
        QueueResult.SendSuccess ok = sent.successful().get(0);
        return SendMessageResponse.newBuilder().setMessageId(ok.messageId())
                .setSequenceNumber(nullToEmpty(ok.sequenceNumber()))
                .setMd5OfMessageBody(Md5s.ofBody(entry.body()))
                .setMd5OfMessageAttributes(nullToEmpty(Md5s.ofAttributes(entry.attributes())))
                .setMd5OfMessageSystemAttributes(nullToEmpty(Md5s.ofAttributes(entry.systemAttributes()))).build();
    }

    static SendMessageBatchResponse sendBatchResponse(QueueCommand.SendMessages request, QueueResult.Sent sent) {
        Map<String, QueueCommand.SendEntry> byId = new java.util.HashMap<>();
        request.entries().forEach(e -> byId.put(e.id(), e));
        SendMessageBatchResponse.Builder b = SendMessageBatchResponse.newBuilder();
        for (QueueResult.SendSuccess s : sent.successful()) {
            QueueCommand.SendEntry e = byId.get(s.id());
            b.addSuccessful(SendMessageBatchResultEntry.newBuilder().setId(s.id()).setMessageId(s.messageId())
                    .setSequenceNumber(nullToEmpty(s.sequenceNumber()))
                    .setMd5OfMessageBody(Md5s.ofBody(e.body()))
                    .setMd5OfMessageAttributes(nullToEmpty(Md5s.ofAttributes(e.attributes())))
                    .setMd5OfMessageSystemAttributes(nullToEmpty(Md5s.ofAttributes(e.systemAttributes()))));
        }
        sent.failed().forEach(f -> b.addFailed(failure(f)));
        return b.build();
    }

    static QueueCommand.DeleteMessages deleteBatch(String queue, List<DeleteMessageBatchRequestEntry> entries) {
        return new QueueCommand.DeleteMessages(queue, entries.stream()
                .map(e -> new QueueCommand.DeleteEntry(e.getId(), e.getReceiptHandle())).toList());
    }

    static DeleteMessageBatchResponse deleteBatchResponse(QueueResult.BatchOutcome outcome) {
        DeleteMessageBatchResponse.Builder b = DeleteMessageBatchResponse.newBuilder();
        outcome.successfulIds().forEach(id -> b.addSuccessful(DeleteMessageBatchResultEntry.newBuilder().setId(id)));
        outcome.failed().forEach(f -> b.addFailed(failure(f)));
        return b.build();
    }

    static QueueCommand.ChangeMessageVisibility visibilityBatch(String queue, List<ChangeMessageVisibilityBatchRequestEntry> entries) {
        return new QueueCommand.ChangeMessageVisibility(queue, entries.stream()
                .map(e -> new QueueCommand.VisibilityEntryChange(e.getId(), e.getReceiptHandle(), e.getVisibilityTimeout())).toList());
    }

    static ChangeMessageVisibilityBatchResponse visibilityBatchResponse(QueueResult.BatchOutcome outcome) {
        ChangeMessageVisibilityBatchResponse.Builder b = ChangeMessageVisibilityBatchResponse.newBuilder();
        outcome.successfulIds().forEach(id -> b.addSuccessful(ChangeMessageVisibilityBatchResultEntry.newBuilder().setId(id)));
        outcome.failed().forEach(f -> b.addFailed(failure(f)));
        return b.build();
    }

    /**
     * Returns only the system attributes and message attributes the caller asked for, as SQS does. Bodies go to the
     * wire as the stored UTF-8 bytes, without a detour through Java strings.
     */
    static ReceiveMessageResponse receiveResponse(List<DeliveredMessage> delivered, List<String> systemNames, List<String> attributeNames,
                                                  String senderId) {
        ReceiveMessageResponse.Builder b = ReceiveMessageResponse.newBuilder();
        for (DeliveredMessage m : delivered) {
            io.pontoon.api.v1.Message.Builder msg = io.pontoon.api.v1.Message.newBuilder()
                    .setMessageId(m.messageId()).setReceiptHandle(m.receiptHandle())
                    .setBodyBytes(com.google.protobuf.UnsafeByteOperations.unsafeWrap(m.bodyBytes()))
                    .setMd5OfBody(Md5s.ofBody(m.bodyBytes()));
            putSystem(msg, systemNames, "ApproximateReceiveCount", String.valueOf(m.approximateReceiveCount()));
            putSystem(msg, systemNames, "SenderId", senderId);
            putSystem(msg, systemNames, "SentTimestamp", String.valueOf(m.sentTimestampMs()));
            putSystem(msg, systemNames, "ApproximateFirstReceiveTimestamp", String.valueOf(m.approximateFirstReceiveTimestampMs()));
            putSystem(msg, systemNames, "SequenceNumber", m.sequenceNumber());
            putSystem(msg, systemNames, "MessageGroupId", m.groupId());
            putSystem(msg, systemNames, "MessageDeduplicationId", m.deduplicationId());
            putSystem(msg, systemNames, "DeadLetterQueueSourceArn", m.deadLetterSource() == null ? null : QueueUrls.arn(m.deadLetterSource()));
            putSystem(msg, systemNames, io.pontoon.core.Limits.TRACE_HEADER_ATTRIBUTE, m.traceHeader());
            SortedMap<String, MessageAttribute> returned = new TreeMap<>();
            for (Map.Entry<String, MessageAttribute> a : m.attributes().entrySet()) {
                if (wanted(attributeNames, a.getKey())) {
                    msg.putMessageAttributes(a.getKey(), toWire(a.getValue()));
                    returned.put(a.getKey(), a.getValue());
                }
            }
            if (!returned.isEmpty()) {
                // Over the attributes returned, so that SDKs verifying the digest against what they got agree.
                msg.setMd5OfMessageAttributes(Md5s.ofAttributes(returned));
            }
            b.addMessages(msg);
        }
        return b.build();
    }

    /** A null value is an attribute the message does not have (e.g. SequenceNumber on a standard queue). */
    private static void putSystem(io.pontoon.api.v1.Message.Builder msg, List<String> names, String name, String value) {
        if (value != null && (names.contains("All") || names.contains(name))) {
            msg.putAttributes(name, value);
        }
    }

    /** SQS name filters: "All", ".*", an exact name, or a prefix written "prefix.*". */
    static boolean wanted(List<String> filters, String name) {
        for (String f : filters) {
            if (ALL.contains(f) || f.equals(name) || (f.endsWith(".*") && name.startsWith(f.substring(0, f.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static BatchResultErrorEntry failure(QueueResult.EntryFailure f) {
        return BatchResultErrorEntry.newBuilder().setId(f.id()).setCode(f.code().awsCode())
                .setMessage(nullToEmpty(GrpcErrors.bounded(f.message()))).setSenderFault(f.senderFault()).build();
    }

    private static MessageAttribute toCore(MessageAttributeValue v) {
        boolean binary = v.getDataType().startsWith("Binary");
        return binary ? new MessageAttribute(v.getDataType(), null, v.getBinaryValue().toByteArray())
                : new MessageAttribute(v.getDataType(), v.getStringValue(), null);
    }

    private static MessageAttributeValue toWire(MessageAttribute a) {
        MessageAttributeValue.Builder b = MessageAttributeValue.newBuilder().setDataType(a.dataType());
        if (a.stringValue() != null) {
            b.setStringValue(a.stringValue());
        } else {
            b.setBinaryValue(ByteString.copyFrom(a.binaryValue()));
        }
        return b.build();
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static ListMessageMoveTasksResponse moveTasks(QueueQueryResult.MoveTasks tasks) {
        ListMessageMoveTasksResponse.Builder b = ListMessageMoveTasksResponse.newBuilder();
        for (QueueQueryResult.MoveTaskInfo t : tasks.tasks()) {
            ListMessageMoveTasksResultEntry.Builder e = ListMessageMoveTasksResultEntry.newBuilder().setTaskHandle(nullToEmpty(t.taskHandle()))
                    .setStatus(t.status()).setSourceArn(QueueUrls.arn(t.sourceQueue()))
                    .setDestinationArn(t.destinationQueue() == null ? "" : QueueUrls.arn(t.destinationQueue()))
                    .setApproximateNumberOfMessagesMoved(t.moved())
                    .setApproximateNumberOfMessagesToMove(t.toMove()).setFailureReason(nullToEmpty(t.failureReason()))
                    .setStartedTimestamp(t.startedMs());
            if (t.maxPerSecond() > 0) {
                e.setMaxNumberOfMessagesPerSecond(t.maxPerSecond()); // absent when none was given, as in SQS
            }
            b.addResults(e);
        }
        return b.build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
