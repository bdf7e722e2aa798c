package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.QueueCommand.CancelMoveTask;
import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.CreateQueue;
import io.pontoon.core.queue.QueueCommand.DeleteEntry;
import io.pontoon.core.queue.QueueCommand.DeleteMessages;
import io.pontoon.core.queue.QueueCommand.DeleteQueue;
import io.pontoon.core.queue.QueueCommand.IngestMessages;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.core.queue.QueueCommand.PurgeQueue;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueCommand.SendEntry;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.queue.QueueCommand.SetQueueAttributes;
import io.pontoon.core.queue.QueueCommand.SettleOutbox;
import io.pontoon.core.queue.QueueCommand.StartMoveTask;
import io.pontoon.core.queue.QueueCommand.TagQueue;
import io.pontoon.core.queue.QueueCommand.UntagQueue;
import io.pontoon.core.queue.QueueCommand.VisibilityEntryChange;
import io.pontoon.core.queue.QueueAttributes;

import java.util.ArrayList;
import java.util.List;

import io.pontoon.core.partition.ModelCodec;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;

import static io.pontoon.core.codec.CommonCodec.*;

/**
 * The queue model's binary encoding: the fields of each {@link QueueCommand}, {@link QueueResult}, {@link QueueQuery}
 * and {@link QueueQueryResult} after the (model, type id) header that {@link PartitionCodec} writes, and the value
 * format of outbox entries ({@link #writeMoved}). Field layouts by version: v1 the first; v2 added FIFO fields on
 * send and receive, typed FIFO/redrive queue attributes and commands 10-13; v3 system attributes (AWSTraceHeader)
 * on send entries and moved messages, the in-flight limit on receives, and commands 14-15.
 */
public final class QueueCodec implements ModelCodec {
    public static final QueueCodec INSTANCE = new QueueCodec();
    static final int COMMANDS_V1 = 1;
    static final int COMMANDS_V2 = 2;
    static final int COMMANDS_V3 = 3;
    /** Moved messages (outbox values, ingest entries) since v3 start with this byte; before, with an outbox seq's high byte, 0. */
    private static final int MOVED_V2 = 2;

    private QueueCodec() {
    }

    @Override
    public void writeCommand(BinaryWriter w, PartitionCommand c) {
        writeCommand(w, (QueueCommand) c);
    }

    @Override
    public PartitionCommand readCommand(BinaryReader r, int typeId, int fieldsVersion) {
        return readQueueCommand(r, typeId, fieldsVersion);
    }

    @Override
    public void writeResult(BinaryWriter w, PartitionResult result) {
        QueueResultCodec.write(w, (QueueResult) result);
    }

    @Override
    public PartitionResult readResult(BinaryReader r, int typeId) {
        return QueueResultCodec.read(r, typeId);
    }

    @Override
    public void writeQuery(BinaryWriter w, PartitionQuery query) {
        QueueQueryCodec.writeQuery(w, (QueueQuery) query);
    }

    @Override
    public PartitionQuery readQuery(BinaryReader r, int typeId) {
        return QueueQueryCodec.readQuery(r, typeId);
    }

    @Override
    public void writeQueryResult(BinaryWriter w, QueryResult result) {
        QueueQueryCodec.writeResult(w, (QueueQueryResult) result);
    }

    @Override
    public QueryResult readQueryResult(BinaryReader r, int typeId) {
        return QueueQueryCodec.readResult(r, typeId);
    }

    private static void writeCommand(BinaryWriter w, QueueCommand c) {
        switch (c) {
            case CreateQueue cq -> {
                w.string(cq.name());
                writeQueueAttributes(w, cq.attributes());
                writeQueueTypeAttributes(w, cq.attributes());
            }
            case DeleteQueue dq -> w.string(dq.name());
            case SetQueueAttributes s -> {
                w.string(s.name());
                writeStringMap(w, s.attributes());
            }
            case PurgeQueue p -> w.string(p.name());
            case SendMessages s -> {
                w.string(s.queueName()).i32(s.entries().size());
                for (SendEntry e : s.entries()) {
                    w.string(e.id()).string(e.body());
                    writeMessageAttributes(w, e.attributes());
                    w.nullableInt(e.delaySeconds());
                    w.nullableString(e.groupId()).nullableString(e.deduplicationId());
                    writeMessageAttributes(w, e.systemAttributes());
                }
            }
            case ReceiveMessages rm -> w.string(rm.queueName()).i32(rm.maxMessages()).nullableInt(rm.visibilityTimeoutSeconds())
                    .nullableString(rm.receiveRequestAttemptId()).i32(rm.inFlightLimit());
            case DeleteMessages d -> {
                w.string(d.queueName()).i32(d.entries().size());
                d.entries().forEach(e -> w.string(e.id()).string(e.receiptHandle()));
            }
            case ChangeMessageVisibility cmv -> {
                w.string(cmv.queueName()).i32(cmv.entries().size());
                cmv.entries().forEach(e -> w.string(e.id()).string(e.receiptHandle()).i32(e.visibilityTimeoutSeconds()));
            }
            case IngestMessages in -> {
                w.i32(in.sourcePartition()).i32(in.messages().size());
                in.messages().forEach(m -> writeMoved(w, m));
            }
            case SettleOutbox so -> {
                writeLongList(w, so.delivered());
                writeLongList(w, so.returned());
            }
            case StartMoveTask st -> w.string(st.sourceQueue()).nullableString(st.destinationQueue()).nullableInt(st.maxPerSecond());
            case CancelMoveTask ct -> w.string(ct.sourceQueue()).i64(ct.taskId());
            case TagQueue t -> {
                w.string(t.name());
                writeStringMap(w, t.tags());
            }
            case UntagQueue u -> {
                w.string(u.name());
                writeStringList(w, u.tagKeys());
            }
        }
    }

    /** Also the value format of an outbox entry. */
    public static void writeMoved(BinaryWriter w, MovedMessage m) {
        w.u8(MOVED_V2).i64(m.outboxSeq()).string(m.queueName()).string(m.fromQueue()).bool(m.deadLettered())
                .nullableString(m.originDeadLetterSource()).string(m.messageId()).string(m.body());
        writeMessageAttributes(w, m.attributes());
        w.i64(m.sentMs()).i32(m.receiveCount()).i64(m.firstReceiveMs()).nullableString(m.groupId()).nullableString(m.deduplicationId())
                .nullableString(m.traceHeader());
    }

    /** Reads both forms: outbox entries written before v2 start directly with the outbox seq (high byte 0). */
    public static MovedMessage readMoved(BinaryReader r) {
        boolean v2 = r.peekU8() == MOVED_V2;
        if (v2) {
            r.u8();
        }
        return new MovedMessage(r.i64(), r.string(), r.string(), r.bool(), r.nullableString(), r.string(), r.string(), readMessageAttributes(r),
                r.i64(), r.i32(), r.i64(), r.nullableString(), r.nullableString(), v2 ? r.nullableString() : null);
    }

    private static void writeLongList(BinaryWriter w, List<Long> list) {
        w.i32(list.size());
        list.forEach(w::i64);
    }

    private static List<Long> readLongList(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        List<Long> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            list.add(r.i64());
        }
        return list;
    }

    private static QueueCommand readQueueCommand(BinaryReader r, int typeId, int version) {
        return switch (typeId) {
            case CreateQueue.TYPE_ID -> {
                String name = r.string();
                QueueAttributes base = readQueueAttributes(r);
                yield new CreateQueue(name, version >= COMMANDS_V2 ? readQueueTypeAttributes(r, base) : base);
            }
            case DeleteQueue.TYPE_ID -> new DeleteQueue(r.string());
            case SetQueueAttributes.TYPE_ID -> new SetQueueAttributes(r.string(), readStringMap(r));
            case PurgeQueue.TYPE_ID -> new PurgeQueue(r.string());
            case SendMessages.TYPE_ID -> readSend(r, version);
            case ReceiveMessages.TYPE_ID -> new ReceiveMessages(r.string(), r.i32(), r.nullableInt(),
                    version >= COMMANDS_V2 ? r.nullableString() : null,
                    version >= COMMANDS_V3 ? r.i32() : Limits.DEFAULT_MAX_IN_FLIGHT);
            case DeleteMessages.TYPE_ID -> readDelete(r);
            case ChangeMessageVisibility.TYPE_ID -> readChangeVisibility(r);
            case IngestMessages.TYPE_ID -> readIngest(r);
            case SettleOutbox.TYPE_ID -> new SettleOutbox(readLongList(r), readLongList(r));
            case StartMoveTask.TYPE_ID -> new StartMoveTask(r.string(), r.nullableString(), r.nullableInt());
            case CancelMoveTask.TYPE_ID -> new CancelMoveTask(r.string(), r.i64());
            case TagQueue.TYPE_ID -> new TagQueue(r.string(), readStringMap(r));
            case UntagQueue.TYPE_ID -> new UntagQueue(r.string(), readStringList(r));
            default -> throw new IllegalArgumentException("unknown partition command type id " + typeId);
        };
    }

    private static SendMessages readSend(BinaryReader r, int version) {
        String queue = r.string();
        int n = r.count(Limits.MAX_BATCH_ENTRIES * 100);
        List<SendEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = r.string(), body = r.string();
            var attributes = readMessageAttributes(r);
            Integer delay = r.nullableInt();
            String group = version >= COMMANDS_V2 ? r.nullableString() : null;
            String dedup = version >= COMMANDS_V2 ? r.nullableString() : null;
            var system = version >= COMMANDS_V3 ? readMessageAttributes(r) : new java.util.TreeMap<String, io.pontoon.core.queue.MessageAttribute>();
            entries.add(new SendEntry(id, body, attributes, delay, group, dedup, system));
        }
        return new SendMessages(queue, entries);
    }

    private static IngestMessages readIngest(BinaryReader r) {
        int source = r.i32();
        int n = r.count(MAX_COLLECTION);
        List<MovedMessage> messages = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            messages.add(readMoved(r));
        }
        return new IngestMessages(source, messages);
    }

    private static DeleteMessages readDelete(BinaryReader r) {
        String queue = r.string();
        int n = r.count(Limits.MAX_BATCH_ENTRIES * 100);
        List<DeleteEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new DeleteEntry(r.string(), r.string()));
        }
        return new DeleteMessages(queue, entries);
    }

    private static ChangeMessageVisibility readChangeVisibility(BinaryReader r) {
        String queue = r.string();
        int n = r.count(Limits.MAX_BATCH_ENTRIES * 100);
        List<VisibilityEntryChange> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new VisibilityEntryChange(r.string(), r.string(), r.i32()));
        }
        return new ChangeMessageVisibility(queue, entries);
    }
}
