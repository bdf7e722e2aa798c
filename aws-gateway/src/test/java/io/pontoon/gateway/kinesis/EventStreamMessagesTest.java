package io.pontoon.gateway.kinesis;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Event-stream messages are byte for byte what the AWS SDK's own event-stream codec writes and reads back. */
class EventStreamMessagesTest {
    @Test
    void aMessageIsEncodedExactlyAsTheSdksCodecEncodesItAndDecodesWithItsChecksums() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":message-type", "event");
        headers.put(":event-type", "SubscribeToShardEvent");
        headers.put(":content-type", "application/x-amz-json-1.1");
        byte[] payload = "{\"Records\":[],\"MillisBehindLatest\":0}".getBytes(StandardCharsets.UTF_8);

        byte[] ours = EventStreamMessages.encode(headers, payload);

        Map<String, HeaderValue> sdkHeaders = new LinkedHashMap<>();
        headers.forEach((k, v) -> sdkHeaders.put(k, HeaderValue.fromString(v)));
        assertArrayEquals(new Message(sdkHeaders, payload).toByteBuffer().array(), ours);
        Message decoded = Message.decode(ByteBuffer.wrap(ours)); // verifies both CRCs
        assertEquals("SubscribeToShardEvent", decoded.getHeaders().get(":event-type").getString());
        assertArrayEquals(payload, decoded.getPayload());
    }

    @Test
    void anEmptyPayloadAndNoHeadersStillMakeAValidMessage() {
        byte[] ours = EventStreamMessages.encode(Map.of(), new byte[0]);
        assertEquals(16, ours.length);
        assertEquals(0, Message.decode(ByteBuffer.wrap(ours)).getPayload().length);
    }
}
