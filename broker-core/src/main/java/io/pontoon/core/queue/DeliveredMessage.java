package io.pontoon.core.queue;

import io.pontoon.core.queue.QueueResult.ReceivedMessage;

import java.util.SortedMap;

/**
 * A received message as a client gets it: what the receive recorded ({@link ReceivedMessage}) and the content
 * read from the applied state ({@link MessagePayload}).
 */
public record DeliveredMessage(ReceivedMessage received, MessagePayload payload) {

    public String messageId() { return received.messageId(); }

    public String receiptHandle() { return received.receiptHandle(); }

    public String body() { return payload.bodyText(); }

    public byte[] bodyBytes() { return payload.body(); }

    public SortedMap<String, MessageAttribute> attributes() { return payload.attributes(); }

    public String traceHeader() { return payload.traceHeader(); }

    public int approximateReceiveCount() { return received.approximateReceiveCount(); }

    public long sentTimestampMs() { return received.sentTimestampMs(); }

    public long approximateFirstReceiveTimestampMs() { return received.approximateFirstReceiveTimestampMs(); }

    public String sequenceNumber() { return received.sequenceNumber(); }

    public String groupId() { return received.groupId(); }

    public String deduplicationId() { return received.deduplicationId(); }

    public String deadLetterSource() { return received.deadLetterSource(); }
}
