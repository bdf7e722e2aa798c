package io.pontoon.core.topic;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A published message, kept on the topic's partition until every delivery of it is settled. Everything a delivery
 * renders (the SNS envelope, raw body, attributes) derives from it, so every replica would render the same bytes.
 *
 * @param seq the partition sequence the publish took; the message id derives from it
 */
public record PublishedMessage(long seq, String messageId, String topic, long publishedMs, String message, String subject,
                               boolean jsonStructure, SortedMap<String, MessageAttribute> attributes, String groupId,
                               String deduplicationId) {
    public PublishedMessage {
        attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    /** A FIFO message's SequenceNumber, as Publish answers it and its notifications carry it: its seq, 20 digits. */
    public static String sequenceNumberOf(long seq) {
        return String.format("%020d", seq);
    }
}
