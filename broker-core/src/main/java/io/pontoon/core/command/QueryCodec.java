package io.pontoon.core.command;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.command.PartitionQuery.GetQueueAttributes;
import io.pontoon.core.command.PartitionQuery.GetQueueUrl;
import io.pontoon.core.command.PartitionQuery.ListQueues;
import io.pontoon.core.command.PartitionQuery.QueueStats;
import io.pontoon.core.command.QueryResult.Attributes;
import io.pontoon.core.command.QueryResult.Error;
import io.pontoon.core.command.QueryResult.QueueList;
import io.pontoon.core.command.QueryResult.QueueUrl;
import io.pontoon.core.command.QueryResult.Stats;

import java.util.TreeMap;

import static io.pontoon.core.codec.CommonCodec.*;

/** Field layout of queries and their results; framing lives in {@link CommandCodec}. */
final class QueryCodec {
    private QueryCodec() {
    }

    static void writeQuery(BinaryWriter w, PartitionQuery q) {
        switch (q) {
            case GetQueueUrl g -> w.string(g.name());
            case GetQueueAttributes g -> {
                w.string(g.name());
                writeStringList(w, g.attributeNames());
            }
            case ListQueues l -> w.string(l.prefix()).nullableString(l.nextToken()).nullableInt(l.maxResults());
            case QueueStats s -> w.string(s.name());
            case PartitionQuery.DeadLetterSources d -> w.string(d.deadLetterQueue());
            case PartitionQuery.ListMoveTasks l -> w.string(l.sourceQueue()).i32(l.maxResults());
            case PartitionQuery.ReadOutbox o -> w.i32(o.limit()).i64(o.maxBytes());
            case PartitionQuery.Receivable r -> w.string(r.name());
            case PartitionQuery.ListQueueTags t -> w.string(t.name());
            case PartitionQuery.OutboxStats o -> {
            }
        }
    }

    static PartitionQuery readQuery(BinaryReader r, int typeId) {
        return switch (typeId) {
            case GetQueueUrl.TYPE_ID -> new GetQueueUrl(r.string());
            case GetQueueAttributes.TYPE_ID -> new GetQueueAttributes(r.string(), readStringList(r));
            case ListQueues.TYPE_ID -> new ListQueues(r.string(), r.nullableString(), r.nullableInt());
            case QueueStats.TYPE_ID -> new QueueStats(r.string());
            case PartitionQuery.DeadLetterSources.TYPE_ID -> new PartitionQuery.DeadLetterSources(r.string());
            case PartitionQuery.ListMoveTasks.TYPE_ID -> new PartitionQuery.ListMoveTasks(r.string(), r.i32());
            case PartitionQuery.ReadOutbox.TYPE_ID -> new PartitionQuery.ReadOutbox(r.i32(), r.i64());
            case PartitionQuery.Receivable.TYPE_ID -> new PartitionQuery.Receivable(r.string());
            case PartitionQuery.ListQueueTags.TYPE_ID -> new PartitionQuery.ListQueueTags(r.string());
            case PartitionQuery.OutboxStats.TYPE_ID -> new PartitionQuery.OutboxStats();
            default -> throw new IllegalArgumentException("unknown partition query type id " + typeId);
        };
    }

    static void writeResult(BinaryWriter w, QueryResult res) {
        switch (res) {
            case Error e -> {
                writeErrorCode(w, e.code());
                w.string(e.message());
            }
            case QueueUrl u -> w.string(u.queueUrl());
            case Attributes a -> writeStringMap(w, a.attributes());
            case QueueList l -> {
                writeStringList(w, l.queueUrls());
                w.nullableString(l.nextToken());
            }
            case Stats s -> w.i64(s.visible()).i64(s.inFlight()).i64(s.delayed()).i64(s.oldestMessageAgeMs()).bool(s.receivableNow());
            case QueryResult.QueueNames n -> writeStringList(w, n.names());
            case QueryResult.Flag f -> w.bool(f.value());
            case QueryResult.MoveTasks m -> {
                w.i32(m.tasks().size());
                m.tasks().forEach(t -> w.nullableString(t.taskHandle()).string(t.status()).string(t.sourceQueue())
                        .nullableString(t.destinationQueue()).i32(t.maxPerSecond()).i64(t.moved()).i64(t.toMove())
                        .nullableString(t.failureReason()).i64(t.startedMs()));
            }
            case QueryResult.Outbox o -> {
                w.i32(o.entries().size());
                o.entries().forEach(e -> CommandCodec.writeMoved(w, e));
            }
            case QueryResult.Tags t -> writeStringMap(w, t.tags());
            case QueryResult.OutboxSize o -> w.i64(o.entries()).i64(o.bytes()).bool(o.capped());
        }
    }

    static QueryResult readResult(BinaryReader r, int typeId) {
        return switch (typeId) {
            case Error.TYPE_ID -> new Error(readErrorCode(r), r.string());
            case QueueUrl.TYPE_ID -> new QueueUrl(r.string());
            case Attributes.TYPE_ID -> new Attributes(new TreeMap<>(readStringMap(r)));
            case QueueList.TYPE_ID -> new QueueList(readStringList(r), r.nullableString());
            case Stats.TYPE_ID -> new Stats(r.i64(), r.i64(), r.i64(), r.i64(), r.bool());
            case QueryResult.QueueNames.TYPE_ID -> new QueryResult.QueueNames(readStringList(r));
            case QueryResult.Flag.TYPE_ID -> new QueryResult.Flag(r.bool());
            case QueryResult.MoveTasks.TYPE_ID -> readMoveTasks(r);
            case QueryResult.Outbox.TYPE_ID -> readOutbox(r);
            case QueryResult.Tags.TYPE_ID -> new QueryResult.Tags(new TreeMap<>(readStringMap(r)));
            case QueryResult.OutboxSize.TYPE_ID -> new QueryResult.OutboxSize(r.i64(), r.i64(), r.bool());
            default -> throw new IllegalArgumentException("unknown partition query result type id " + typeId);
        };
    }

    private static QueryResult.MoveTasks readMoveTasks(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        java.util.List<QueryResult.MoveTaskInfo> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(new QueryResult.MoveTaskInfo(r.nullableString(), r.string(), r.string(), r.nullableString(), r.i32(),
                    r.i64(), r.i64(), r.nullableString(), r.i64()));
        }
        return new QueryResult.MoveTasks(tasks);
    }

    private static QueryResult.Outbox readOutbox(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        java.util.List<PartitionCommand.MovedMessage> entries = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(CommandCodec.readMoved(r));
        }
        return new QueryResult.Outbox(entries);
    }
}
