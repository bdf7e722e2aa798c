package io.pontoon.core.queue;

import io.pontoon.core.codec.Utf8;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The immutable content of a message: what was sent, and what a receive returns. It is stored apart from the
 * message's per-receive state ({@link MessageRecord}), so that a receive, a visibility change or a FIFO group
 * reindex reads and rewrites a few dozen bytes, never the (up to 1 MiB) body.
 *
 * @param body        the UTF-8 body
 * @param attributes  message attributes, by name
 * @param traceHeader the AWSTraceHeader message system attribute, or null
 */
public record MessagePayload(byte[] body, SortedMap<String, MessageAttribute> attributes, String traceHeader) {
    public MessagePayload {
        attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    public MessagePayload(String body, SortedMap<String, MessageAttribute> attributes, String traceHeader) {
        this(body.getBytes(StandardCharsets.UTF_8), attributes, traceHeader);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessagePayload p && java.util.Arrays.equals(body, p.body) && attributes.equals(p.attributes)
                && java.util.Objects.equals(traceHeader, p.traceHeader);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(body) * 31 + java.util.Objects.hash(attributes, traceHeader);
    }

    @Override
    public String toString() {
        return "MessagePayload[" + body.length + " body bytes, attributes=" + attributes.keySet() + ", traceHeader=" + traceHeader + "]";
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * What this payload weighs in memory and on the wire: body, attribute names, types and values, and the trace
     * header. Apply charges moves against it, and a node reserves it before it reads the payload for a client.
     */
    public long sizeBytes() {
        return body.length + attributesBytes(attributes) + (traceHeader == null ? 0 : Utf8.length(traceHeader));
    }

    /** Bytes the attributes add to a message, as SQS counts them towards MaximumMessageSize: names, types and values. */
    public static long attributesBytes(java.util.Map<String, MessageAttribute> attributes) {
        long size = 0;
        for (var e : attributes.entrySet()) {
            MessageAttribute a = e.getValue();
            size += Utf8.length(e.getKey()) + Utf8.length(a.dataType())
                    + (a.stringValue() != null ? Utf8.length(a.stringValue()) : a.binaryValue().length);
        }
        return size;
    }
}
