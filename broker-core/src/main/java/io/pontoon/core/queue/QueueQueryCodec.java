package io.pontoon.core.queue;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.QueueQuery.GetQueueAttributes;
import io.pontoon.core.queue.QueueQuery.GetQueueUrl;
import io.pontoon.core.queue.QueueQuery.ListQueues;
import io.pontoon.core.queue.QueueQuery.QueueStats;
import io.pontoon.core.queue.QueueQueryResult.Attributes;
import io.pontoon.core.queue.QueueQueryResult.QueueList;
import io.pontoon.core.queue.QueueQueryResult.QueueUrl;
import io.pontoon.core.queue.QueueQueryResult.Stats;

import java.util.TreeMap;

import static io.pontoon.core.codec.CommonCodec.*;

/** Field layout of queries and their results; framing lives in {@link QueueCodec}. */
final class QueueQueryCodec {
    private QueueQueryCodec() {
    }

    static void writeQuery(BinaryWriter w, QueueQuery q) {
        switch (q) {
            case GetQueueUrl g -> w.string(g.name());
            case GetQueueAttributes g -> {
                w.string(g.name());
                writeStringList(w, g.attributeNames());
            }
            case ListQueues l -> w.string(l.prefix()).nullableString(l.nextToken()).nullableInt(l.maxResults());
            case QueueStats s -> w.string(s.name());
            case QueueQuery.DeadLetterSources d -> w.string(d.deadLetterQueue());
            case QueueQuery.ListMoveTasks l -> w.string(l.sourceQueue()).i32(l.maxResults());
            case QueueQuery.ReadOutbox o -> w.i32(o.limit()).i64(o.maxBytes());
            case QueueQuery.Receivable r -> w.string(r.name());
            case QueueQuery.ListQueueTags t -> w.string(t.name());
            case QueueQuery.OutboxStats o -> {
            }
            case QueueQuery.ReadPayloads p -> {
                w.i64(p.queueId()).i32(p.seqs().size());
                p.seqs().forEach(w::i64);
            }
        }
    }

    static QueueQuery readQuery(BinaryReader r, int typeId) {
        return switch (typeId) {
            case GetQueueUrl.TYPE_ID -> new GetQueueUrl(r.string());
            case GetQueueAttributes.TYPE_ID -> new GetQueueAttributes(r.string(), readStringList(r));
            case ListQueues.TYPE_ID -> new ListQueues(r.string(), r.nullableString(), r.nullableInt());
            case QueueStats.TYPE_ID -> new QueueStats(r.string());
            case QueueQuery.DeadLetterSources.TYPE_ID -> new QueueQuery.DeadLetterSources(r.string());
            case QueueQuery.ListMoveTasks.TYPE_ID -> new QueueQuery.ListMoveTasks(r.string(), r.i32());
            case QueueQuery.ReadOutbox.TYPE_ID -> new QueueQuery.ReadOutbox(r.i32(), r.i64());
            case QueueQuery.Receivable.TYPE_ID -> new QueueQuery.Receivable(r.string());
            case QueueQuery.ListQueueTags.TYPE_ID -> new QueueQuery.ListQueueTags(r.string());
            case QueueQuery.OutboxStats.TYPE_ID -> new QueueQuery.OutboxStats();
            case QueueQuery.ReadPayloads.TYPE_ID -> readPayloadsQuery(r);
            default -> throw new IllegalArgumentException("unknown partition query type id " + typeId);
        };
    }

    static void writeResult(BinaryWriter w, QueueQueryResult res) {
        switch (res) {
            case QueueUrl u -> w.string(u.queueUrl());
            case Attributes a -> writeStringMap(w, a.attributes());
            case QueueList l -> {
                writeStringList(w, l.queueUrls());
                w.nullableString(l.nextToken());
            }
            case Stats s -> w.i64(s.visible()).i64(s.inFlight()).i64(s.delayed()).i64(s.oldestMessageAgeMs()).bool(s.receivableNow());
            case QueueQueryResult.QueueNames n -> writeStringList(w, n.names());
            case QueueQueryResult.Flag f -> w.bool(f.value());
            case QueueQueryResult.MoveTasks m -> {
                w.i32(m.tasks().size());
                m.tasks().forEach(t -> w.nullableString(t.taskHandle()).string(t.status()).string(t.sourceQueue())
                        .nullableString(t.destinationQueue()).i32(t.maxPerSecond()).i64(t.moved()).i64(t.toMove())
                        .nullableString(t.failureReason()).i64(t.startedMs()));
            }
            case QueueQueryResult.Outbox o -> {
                w.i32(o.entries().size());
                o.entries().forEach(e -> QueueCodec.writeMoved(w, e));
            }
            case QueueQueryResult.Tags t -> writeStringMap(w, t.tags());
            case QueueQueryResult.OutboxSize o -> w.i64(o.entries()).i64(o.bytes()).bool(o.capped());
            case QueueQueryResult.Payloads p -> {
                w.i32(p.bySeq().size());
                p.bySeq().forEach((seq, payload) -> w.i64(seq).bytes(RecordCodec.encodePayload(payload)));
            }
        }
    }

    static QueueQueryResult readResult(BinaryReader r, int typeId) {
        return switch (typeId) {
            case QueueUrl.TYPE_ID -> new QueueUrl(r.string());
            case Attributes.TYPE_ID -> new Attributes(new TreeMap<>(readStringMap(r)));
            case QueueList.TYPE_ID -> new QueueList(readStringList(r), r.nullableString());
            case Stats.TYPE_ID -> new Stats(r.i64(), r.i64(), r.i64(), r.i64(), r.bool());
            case QueueQueryResult.QueueNames.TYPE_ID -> new QueueQueryResult.QueueNames(readStringList(r));
            case QueueQueryResult.Flag.TYPE_ID -> new QueueQueryResult.Flag(r.bool());
            case QueueQueryResult.MoveTasks.TYPE_ID -> readMoveTasks(r);
            case QueueQueryResult.Outbox.TYPE_ID -> readOutbox(r);
            case QueueQueryResult.Tags.TYPE_ID -> new QueueQueryResult.Tags(new TreeMap<>(readStringMap(r)));
            case QueueQueryResult.OutboxSize.TYPE_ID -> new QueueQueryResult.OutboxSize(r.i64(), r.i64(), r.bool());
            case QueueQueryResult.Payloads.TYPE_ID -> readPayloads(r);
            default -> throw new IllegalArgumentException("unknown partition query result type id " + typeId);
        };
    }

    private static QueueQueryResult.MoveTasks readMoveTasks(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        java.util.List<QueueQueryResult.MoveTaskInfo> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(new QueueQueryResult.MoveTaskInfo(r.nullableString(), r.string(), r.string(), r.nullableString(), r.i32(),
                    r.i64(), r.i64(), r.nullableString(), r.i64()));
        }
        return new QueueQueryResult.MoveTasks(tasks);
    }

    private static QueueQueryResult.Outbox readOutbox(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        java.util.List<QueueCommand.MovedMessage> entries = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(QueueCodec.readMoved(r));
        }
        return new QueueQueryResult.Outbox(entries);
    }

    private static QueueQuery.ReadPayloads readPayloadsQuery(BinaryReader r) {
        long queueId = r.i64();
        int n = r.count(MAX_COLLECTION);
        java.util.List<Long> seqs = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            seqs.add(r.i64());
        }
        return new QueueQuery.ReadPayloads(queueId, seqs);
    }

    private static QueueQueryResult.Payloads readPayloads(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        TreeMap<Long, MessagePayload> bySeq = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            bySeq.put(r.i64(), RecordCodec.decodePayload(r.bytes()));
        }
        return new QueueQueryResult.Payloads(bySeq);
    }
}
