package io.pontoon.chaos;

import io.pontoon.api.v1.Message;

/**
 * One message as a receive returned it, as recorded in a {@code deliveries} op: {@code value|messageId|sequence|count}
 * (sequence empty on a standard queue; count = ApproximateReceiveCount, -1 when a history does not carry it).
 */
record Delivered(String value, String messageId, String sequence, int receiveCount) {
    static final String SEQUENCE = "SequenceNumber";
    static final String RECEIVE_COUNT = "ApproximateReceiveCount";

    static String encode(Message m) {
        return m.getBody() + "|" + m.getMessageId() + "|" + m.getAttributesOrDefault(SEQUENCE, "") + "|"
                + m.getAttributesOrDefault(RECEIVE_COUNT, "");
    }

    static Delivered parse(String recorded) {
        String[] parts = recorded.split("\\|", -1);
        String count = parts.length > 3 ? parts[3] : "";
        return new Delivered(parts[0], parts[1], parts.length > 2 ? parts[2] : "", count.isEmpty() ? -1 : Integer.parseInt(count));
    }
}
