package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.RedriveAllowPolicy;
import io.pontoon.core.queue.RedrivePolicy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Value encoding of the stored records. The core owns it so that storage adapters store opaque bytes and
 * the record types can evolve in one place. Every value starts with a format version byte; a reader that
 * meets an unknown version fails loudly rather than guessing.
 */
public final class RecordCodec {
    private static final byte QUEUE_V1 = 1;
    /** v2 appends the FIFO settings, RedrivePolicy and RedriveAllowPolicy. */
    private static final byte QUEUE_V2 = 2;
    private static final byte MESSAGE_V1 = 1;
    /** v2 appends lastReceiveMs. */
    private static final byte MESSAGE_V2 = 2;
    /** v3: MD5s are no longer stored. */
    private static final byte MESSAGE_V3 = 3;
    /** v4 appends groupId, deduplicationId and deadLetterSource (each nullable). */
    private static final byte MESSAGE_V4 = 4;
    /** v5: the body and attributes moved out into the payload (MessagePayload); payloadBytes instead. */
    private static final byte MESSAGE_V5 = 5;
    private static final byte PAYLOAD_V1 = 1;
    private static final byte META_V1 = 1;

    private RecordCodec() {
    }

    public static byte[] encodeQueue(QueueRecord q) {
        return write(out -> {
            out.writeByte(QUEUE_V2);
            out.writeLong(q.queueId());
            out.writeUTF(q.name());
            QueueAttributes a = q.attributes();
            out.writeInt(a.visibilityTimeoutSeconds());
            out.writeInt(a.messageRetentionPeriodSeconds());
            out.writeInt(a.delaySeconds());
            out.writeInt(a.receiveMessageWaitTimeSeconds());
            out.writeInt(a.maximumMessageSizeBytes());
            out.writeInt(a.tags().size());
            for (Map.Entry<String, String> tag : new TreeMap<>(a.tags()).entrySet()) {
                out.writeUTF(tag.getKey());
                out.writeUTF(tag.getValue());
            }
            out.writeLong(q.createdMs());
            out.writeLong(q.lastModifiedMs());
            out.writeLong(q.messageCount());
            out.writeLong(q.lastPurgeMs());
            writeFifo(out, a.fifo());
            writeRedrive(out, a.redrivePolicy());
            writeAllow(out, a.redriveAllowPolicy());
        });
    }

    public static QueueRecord decodeQueue(byte[] bytes) {
        return read(bytes, in -> {
            byte version = in.readByte();
            if (version != QUEUE_V1 && version != QUEUE_V2) {
                throw new IllegalStateException("unknown queue record version " + version);
            }
            long id = in.readLong();
            String name = in.readUTF();
            int vt = in.readInt(), ret = in.readInt(), delay = in.readInt(), wait = in.readInt(), max = in.readInt();
            int tagCount = in.readInt();
            Map<String, String> tags = new HashMap<>();
            for (int i = 0; i < tagCount; i++) {
                tags.put(in.readUTF(), in.readUTF());
            }
            long created = in.readLong(), modified = in.readLong(), count = in.readLong(), purged = in.readLong();
            QueueAttributes attrs = version == QUEUE_V1 ? new QueueAttributes(vt, ret, delay, wait, max, tags)
                    : new QueueAttributes(vt, ret, delay, wait, max, tags, readFifo(in), readRedrive(in), readAllow(in));
            return new QueueRecord(id, name, attrs, created, modified, count, purged);
        });
    }

    public static byte[] encodeMessage(MessageRecord m) {
        return write(out -> {
            out.writeByte(MESSAGE_V5);
            out.writeLong(m.queueId());
            out.writeLong(m.seq());
            out.writeUTF(m.messageId());
            out.writeInt(m.payloadBytes());
            out.writeLong(m.sentMs());
            out.writeLong(m.visibleAtMs());
            out.writeInt(m.receiveCount());
            out.writeLong(m.firstReceiveMs());
            out.writeLong(m.receiptSeq());
            out.writeLong(m.lastReceiveMs());
            writeNullable(out, m.groupId());
            writeNullable(out, m.deduplicationId());
            writeNullable(out, m.deadLetterSource());
        });
    }

    /** Reads every version; for v1-v4, which held the content inline, the content is skipped (see {@link #legacyPayload}). */
    public static MessageRecord decodeMessage(byte[] bytes) {
        return read(bytes, in -> {
            byte version = in.readByte();
            if (version < MESSAGE_V1 || version > MESSAGE_V5) {
                throw new IllegalStateException("unknown message record version " + version);
            }
            long queueId = in.readLong();
            long seq = in.readLong();
            String messageId = in.readUTF();
            int payloadBytes = version >= MESSAGE_V5 ? in.readInt() : MessageRecord.payloadSize(readInlinePayload(in, version));
            long sentMs = in.readLong(), visibleAtMs = in.readLong();
            int receiveCount = in.readInt();
            long firstReceiveMs = in.readLong(), receiptSeq = in.readLong();
            long lastReceiveMs = version >= MESSAGE_V2 ? in.readLong() : 0L;
            boolean v4 = version >= MESSAGE_V4;
            String groupId = v4 ? readNullable(in) : null;
            String dedupId = v4 ? readNullable(in) : null;
            String dlqSource = v4 ? readNullable(in) : null;
            return new MessageRecord(queueId, seq, messageId, payloadBytes, sentMs, visibleAtMs, receiveCount, firstReceiveMs,
                    receiptSeq, lastReceiveMs, groupId, dedupId, dlqSource);
        });
    }

    /**
     * The content of a message record written before v5 (which held it inline), or null for a v5 record. Storage
     * adapters use it to move old records to the split layout when they open a store.
     */
    public static MessagePayload legacyPayload(byte[] messageRecord) {
        return read(messageRecord, in -> {
            byte version = in.readByte();
            if (version >= MESSAGE_V5) {
                return null;
            }
            in.readLong();
            in.readLong();
            in.readUTF();
            return readInlinePayload(in, version);
        });
    }

    /** The body, attributes and (before v3) stored MD5s of a v1-v4 record, positioned after its message id. */
    private static MessagePayload readInlinePayload(DataInputStream in, byte version) throws IOException {
        byte[] body = readBytes(in);
        SortedMap<String, MessageAttribute> attrs = readAttributes(in);
        if (version < MESSAGE_V3) {
            in.readUTF(); // MD5 of body, no longer stored
            in.readUTF(); // MD5 of attributes
        }
        return new MessagePayload(body, attrs, null);
    }

    public static byte[] encodePayload(MessagePayload p) {
        return write(out -> {
            out.writeByte(PAYLOAD_V1);
            writeBytes(out, p.body());
            writeAttributes(out, p.attributes());
            writeNullable(out, p.traceHeader());
        });
    }

    public static MessagePayload decodePayload(byte[] bytes) {
        return read(bytes, in -> {
            expectVersion(in, PAYLOAD_V1, "message payload");
            byte[] body = readBytes(in);
            SortedMap<String, MessageAttribute> attrs = readAttributes(in);
            return new MessagePayload(body, attrs, readNullable(in));
        });
    }

    private static void writeAttributes(DataOutputStream out, SortedMap<String, MessageAttribute> attributes) throws IOException {
        out.writeInt(attributes.size());
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            out.writeUTF(e.getKey());
            MessageAttribute a = e.getValue();
            out.writeUTF(a.dataType());
            out.writeBoolean(a.stringValue() != null);
            if (a.stringValue() != null) {
                writeBytes(out, a.stringValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                writeBytes(out, a.binaryValue());
            }
        }
    }

    private static SortedMap<String, MessageAttribute> readAttributes(DataInputStream in) throws IOException {
        int attrCount = in.readInt();
        SortedMap<String, MessageAttribute> attrs = new TreeMap<>();
        for (int i = 0; i < attrCount; i++) {
            String name = in.readUTF();
            String type = in.readUTF();
            boolean isString = in.readBoolean();
            byte[] value = readBytes(in);
            attrs.put(name, isString
                    ? new MessageAttribute(type, new String(value, java.nio.charset.StandardCharsets.UTF_8), null)
                    : new MessageAttribute(type, null, value));
        }
        return attrs;
    }

    public static byte[] encodeMeta(PartitionMeta meta) {
        return write(out -> {
            out.writeByte(META_V1);
            out.writeLong(meta.appliedIndex());
            out.writeLong(meta.appliedTerm());
            out.writeLong(meta.effectiveNowMs());
            out.writeLong(meta.nextSeq());
        });
    }

    public static PartitionMeta decodeMeta(byte[] bytes) {
        return read(bytes, in -> {
            expectVersion(in, META_V1, "partition meta");
            return new PartitionMeta(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        });
    }

    private static void writeFifo(DataOutputStream out, FifoSettings f) throws IOException {
        out.writeBoolean(f != null);
        if (f != null) {
            out.writeBoolean(f.contentBasedDeduplication());
            out.writeByte(f.deduplicationScope().ordinal());
            out.writeByte(f.fifoThroughputLimit().ordinal());
        }
    }

    private static FifoSettings readFifo(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new FifoSettings(in.readBoolean(), FifoSettings.DeduplicationScope.values()[in.readByte()],
                FifoSettings.FifoThroughputLimit.values()[in.readByte()]);
    }

    private static void writeRedrive(DataOutputStream out, RedrivePolicy p) throws IOException {
        out.writeBoolean(p != null);
        if (p != null) {
            out.writeUTF(p.deadLetterQueueName());
            out.writeInt(p.maxReceiveCount());
        }
    }

    private static RedrivePolicy readRedrive(DataInputStream in) throws IOException {
        return in.readBoolean() ? new RedrivePolicy(in.readUTF(), in.readInt()) : null;
    }

    private static void writeAllow(DataOutputStream out, RedriveAllowPolicy p) throws IOException {
        out.writeByte(p.permission().ordinal());
        out.writeInt(p.sourceQueueNames().size());
        for (String name : p.sourceQueueNames()) {
            out.writeUTF(name);
        }
    }

    private static RedriveAllowPolicy readAllow(DataInputStream in) throws IOException {
        RedriveAllowPolicy.Permission permission = RedriveAllowPolicy.Permission.values()[in.readByte()];
        int n = in.readInt();
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            names.add(in.readUTF());
        }
        return new RedriveAllowPolicy(permission, names);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    private static void expectVersion(DataInputStream in, byte expected, String what) throws IOException {
        byte v = in.readByte();
        if (v != expected) {
            throw new IllegalStateException("unknown " + what + " record version " + v);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            w.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        try {
            return r.read(new DataInputStream(new java.io.ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt record", e);
        }
    }
}
