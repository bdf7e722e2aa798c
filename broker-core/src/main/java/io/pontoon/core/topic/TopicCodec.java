package io.pontoon.core.topic;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.partition.ModelCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.pontoon.core.codec.CommonCodec.expectVersion;
import static io.pontoon.core.codec.CommonCodec.readStringList;
import static io.pontoon.core.codec.CommonCodec.readStringMap;
import static io.pontoon.core.codec.CommonCodec.writeStringList;
import static io.pontoon.core.codec.CommonCodec.writeStringMap;

/**
 * The topic model's binary encoding: its commands, results, queries and query results (the fields after the
 * PartitionCodec header; field layout version 3 is the first), and its stored values (each with a version byte).
 */
public final class TopicCodec implements ModelCodec {
    public static final TopicCodec INSTANCE = new TopicCodec();
    private static final int V1 = 1;

    private TopicCodec() {
    }

    // ---------------------------------------------------------------- commands

    @Override
    public void writeCommand(BinaryWriter w, PartitionCommand command) {
        switch ((TopicCommand) command) {
            case TopicCommand.CreateTopic c -> {
                w.string(c.name());
                writeStringMap(w, new TreeMap<>(c.attributes()));
                writeStringMap(w, new TreeMap<>(c.tags()));
            }
            case TopicCommand.DeleteTopic d -> w.string(d.name());
            case TopicCommand.SetTopicAttribute s -> w.string(s.name()).string(s.attribute()).string(s.value());
            case TopicCommand.TagTopic t -> {
                w.string(t.name());
                writeStringMap(w, new TreeMap<>(t.tags()));
                writeStringList(w, t.removeKeys());
            }
            case TopicCommand.Subscribe s -> {
                w.string(s.topic()).string(s.protocol()).string(s.endpoint());
                writeStringMap(w, new TreeMap<>(s.attributes()));
                w.nullableString(s.token());
            }
            case TopicCommand.ConfirmSubscription c -> w.string(c.topic()).string(c.token());
            case TopicCommand.Unsubscribe u -> w.string(u.topic()).string(u.subscriptionId());
            case TopicCommand.SetSubscriptionAttribute s -> w.string(s.topic()).string(s.subscriptionId()).string(s.attribute()).string(s.value());
            case TopicCommand.Publish p -> {
                w.string(p.topic()).i32(p.entries().size());
                for (TopicCommand.PublishEntry e : p.entries()) {
                    w.string(e.id()).string(e.message()).nullableString(e.subject()).bool(e.jsonStructure());
                    writeAttributes(w, e.attributes());
                    w.nullableString(e.groupId()).nullableString(e.deduplicationId());
                }
                w.nullableString(p.requestId());
            }
            case TopicCommand.SettleDeliveries s -> {
                w.i32(s.ordered().size());
                s.ordered().forEach(w::i64);
                w.i32(s.httpOutcomes().size());
                s.httpOutcomes().forEach(o -> w.string(o.subscriptionId()).i64(o.deliverySeq()).bool(o.delivered()));
            }
            case TopicCommand.ForgetSubscription f -> w.string(f.topic()).string(f.subscriptionId());
            case TopicCommand.DeadLetterDeliveries d -> {
                w.i32(d.ordered().size());
                d.ordered().forEach(w::i64);
            }
        }
    }

    @Override
    public PartitionCommand readCommand(BinaryReader r, int typeId, int fieldsVersion) {
        return switch (typeId) {
            case TopicCommand.CreateTopic.TYPE_ID -> new TopicCommand.CreateTopic(r.string(), readStringMap(r), readStringMap(r));
            case TopicCommand.DeleteTopic.TYPE_ID -> new TopicCommand.DeleteTopic(r.string());
            case TopicCommand.SetTopicAttribute.TYPE_ID -> new TopicCommand.SetTopicAttribute(r.string(), r.string(), r.string());
            case TopicCommand.TagTopic.TYPE_ID -> new TopicCommand.TagTopic(r.string(), readStringMap(r), readStringList(r));
            case TopicCommand.Subscribe.TYPE_ID -> new TopicCommand.Subscribe(r.string(), r.string(), r.string(), readStringMap(r), r.nullableString());
            case TopicCommand.ConfirmSubscription.TYPE_ID -> new TopicCommand.ConfirmSubscription(r.string(), r.string());
            case TopicCommand.Unsubscribe.TYPE_ID -> new TopicCommand.Unsubscribe(r.string(), r.string());
            case TopicCommand.SetSubscriptionAttribute.TYPE_ID -> new TopicCommand.SetSubscriptionAttribute(r.string(), r.string(), r.string(), r.string());
            case TopicCommand.Publish.TYPE_ID -> {
                String topic = r.string();
                int n = r.count(Limits.MAX_PUBLISH_BATCH_ENTRIES);
                List<TopicCommand.PublishEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(new TopicCommand.PublishEntry(r.string(), r.string(), r.nullableString(), r.bool(), readAttributes(r),
                            r.nullableString(), r.nullableString()));
                }
                yield new TopicCommand.Publish(topic, entries, r.nullableString());
            }
            case TopicCommand.SettleDeliveries.TYPE_ID -> {
                int nq = r.count(2 * Limits.MAX_FANOUT_BATCH);
                List<Long> queue = new ArrayList<>(nq);
                for (int i = 0; i < nq; i++) {
                    queue.add(r.i64());
                }
                int nh = r.count(2 * Limits.MAX_FANOUT_BATCH);
                List<TopicCommand.HttpOutcome> http = new ArrayList<>(nh);
                for (int i = 0; i < nh; i++) {
                    http.add(new TopicCommand.HttpOutcome(r.string(), r.i64(), r.bool()));
                }
                yield new TopicCommand.SettleDeliveries(queue, http);
            }
            case TopicCommand.ForgetSubscription.TYPE_ID -> new TopicCommand.ForgetSubscription(r.string(), r.string());
            case TopicCommand.DeadLetterDeliveries.TYPE_ID -> {
                int n = r.count(2 * Limits.MAX_FANOUT_BATCH);
                List<Long> ordered = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ordered.add(r.i64());
                }
                yield new TopicCommand.DeadLetterDeliveries(ordered);
            }
            default -> throw new IllegalArgumentException("unknown topic command type id " + typeId);
        };
    }

    // ---------------------------------------------------------------- results

    @Override
    public void writeResult(BinaryWriter w, PartitionResult result) {
        switch ((TopicResult) result) {
            case TopicResult.TopicCreated c -> w.string(c.name()).bool(c.created());
            case TopicResult.Subscribed s -> w.string(s.subscriptionId()).bool(s.pending());
            case TopicResult.Published p -> {
                writeStringList(w, p.messageIds());
                writeStringList(w, p.sequenceNumbers());
            }
        }
    }

    @Override
    public PartitionResult readResult(BinaryReader r, int typeId) {
        return switch (typeId) {
            case TopicResult.TopicCreated.TYPE_ID -> new TopicResult.TopicCreated(r.string(), r.bool());
            case TopicResult.Subscribed.TYPE_ID -> new TopicResult.Subscribed(r.string(), r.bool());
            case TopicResult.Published.TYPE_ID -> new TopicResult.Published(readStringList(r), readStringList(r));
            default -> throw new IllegalArgumentException("unknown topic result type id " + typeId);
        };
    }

    // ---------------------------------------------------------------- queries

    @Override
    public void writeQuery(BinaryWriter w, PartitionQuery query) {
        switch ((TopicQuery) query) {
            case TopicQuery.GetTopic g -> w.string(g.name());
            case TopicQuery.ListSubscriptions l -> {
                w.string(l.topic()).bool(l.startAfter() != null);
                if (l.startAfter() != null) {
                    w.bytes(l.startAfter());
                }
                w.i32(l.limit()).bool(l.withTombstones());
            }
            case TopicQuery.GetSubscription g -> w.string(g.topic()).string(g.subscriptionId());
            case TopicQuery.ReadOrderedDeliveries q -> w.i64(q.afterSeq()).i32(q.limit()).i64(q.maxBytes());
            case TopicQuery.ReadHttpDeliveries q -> w.string(q.subscriptionId()).i64(q.afterSeq()).i32(q.limit()).i64(q.maxBytes());
        }
    }

    @Override
    public PartitionQuery readQuery(BinaryReader r, int typeId) {
        return switch (typeId) {
            case TopicQuery.GetTopic.TYPE_ID -> new TopicQuery.GetTopic(r.string());
            case TopicQuery.ListSubscriptions.TYPE_ID -> new TopicQuery.ListSubscriptions(r.string(), r.bool() ? r.bytes() : null, r.i32(), r.bool());
            case TopicQuery.GetSubscription.TYPE_ID -> new TopicQuery.GetSubscription(r.string(), r.string());
            case TopicQuery.ReadOrderedDeliveries.TYPE_ID -> new TopicQuery.ReadOrderedDeliveries(r.i64(), r.i32(), r.i64());
            case TopicQuery.ReadHttpDeliveries.TYPE_ID -> new TopicQuery.ReadHttpDeliveries(r.string(), r.i64(), r.i32(), r.i64());
            default -> throw new IllegalArgumentException("unknown topic query type id " + typeId);
        };
    }

    @Override
    public void writeQueryResult(BinaryWriter w, QueryResult result) {
        switch ((TopicQueryResult) result) {
            case TopicQueryResult.TopicFound f -> writeTopic(w, f.topic());
            case TopicQueryResult.SubscriptionList l -> {
                w.i32(l.subscriptions().size());
                l.subscriptions().forEach(s -> writeSubscription(w, s));
                w.bool(l.next() != null);
                if (l.next() != null) {
                    w.bytes(l.next());
                }
            }
            case TopicQueryResult.SubscriptionFound f -> {
                writeSubscription(w, f.subscription());
                w.nullableString(f.topicDeliveryPolicy());
            }
            case TopicQueryResult.OrderedDeliveries q -> {
                w.i32(q.deliveries().size());
                for (Deliveries.Ordered d : q.deliveries()) {
                    w.i64(d.seq()).u8(d.target().ordinal()).string(d.name()).bool(d.raw()).bool(d.deadLetter()).string(d.subscriptionArn());
                    writeMessage(w, d.message());
                }
            }
            case TopicQueryResult.HttpDeliveries h -> {
                w.i32(h.deliveries().size());
                for (Deliveries.ToHttp d : h.deliveries()) {
                    w.i64(d.seq());
                    writeMessage(w, d.message());
                }
            }
        }
    }

    @Override
    public QueryResult readQueryResult(BinaryReader r, int typeId) {
        return switch (typeId) {
            case TopicQueryResult.TopicFound.TYPE_ID -> new TopicQueryResult.TopicFound(readTopic(r));
            case TopicQueryResult.SubscriptionList.TYPE_ID -> {
                int n = r.count(Limits.MAX_SUBSCRIPTIONS_PER_TOPIC * 10);
                List<Subscription> subs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    subs.add(readSubscription(r));
                }
                yield new TopicQueryResult.SubscriptionList(subs, r.bool() ? r.bytes() : null);
            }
            case TopicQueryResult.SubscriptionFound.TYPE_ID -> new TopicQueryResult.SubscriptionFound(readSubscription(r), r.nullableString());
            case TopicQueryResult.OrderedDeliveries.TYPE_ID -> {
                int n = r.count(Limits.MAX_FANOUT_BATCH);
                List<Deliveries.Ordered> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(new Deliveries.Ordered(r.i64(), Deliveries.Target.values()[r.u8()], r.string(), r.bool(), r.bool(), r.string(),
                            readMessage(r)));
                }
                yield new TopicQueryResult.OrderedDeliveries(out);
            }
            case TopicQueryResult.HttpDeliveries.TYPE_ID -> {
                int n = r.count(Limits.MAX_FANOUT_BATCH);
                List<Deliveries.ToHttp> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(new Deliveries.ToHttp(r.i64(), readMessage(r)));
                }
                yield new TopicQueryResult.HttpDeliveries(out);
            }
            default -> throw new IllegalArgumentException("unknown topic query result type id " + typeId);
        };
    }

    // ---------------------------------------------------------------- stored values

    static byte[] publishedValue(TopicResult.Published p) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).u8(V1);
        writeStringList(w, p.messageIds());
        writeStringList(w, p.sequenceNumbers());
        return w.toByteArray();
    }

    static TopicResult.Published publishedOf(BinaryReader r) {
        expectVersion(r, V1, "publish answer");
        return new TopicResult.Published(readStringList(r), readStringList(r));
    }

    static void writeTopic(BinaryWriter w, Topic t) {
        w.string(t.name()).i64(t.createdAtSeq()).i64(t.createdMs());
        writeStringMap(w, t.attributes());
        writeStringMap(w, t.tags());
        w.i64(t.version()).i32(t.confirmedSubscriptions()).i32(t.pendingSubscriptions()).i32(t.filterPolicies());
    }

    static Topic readTopic(BinaryReader r) {
        return new Topic(r.string(), r.i64(), r.i64(), readStringMap(r), readStringMap(r), r.i64(), r.i32(), r.i32(), r.i32());
    }

    static byte[] topicValue(Topic t) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).u8(V1);
        writeTopic(w, t);
        return w.toByteArray();
    }

    static Topic topicOf(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        expectVersion(r, V1, "topic");
        return readTopic(r);
    }

    static void writeSubscription(BinaryWriter w, Subscription s) {
        w.string(s.id()).string(s.topic()).string(s.protocol()).string(s.endpoint());
        writeStringMap(w, s.attributes());
        w.bool(s.confirmed()).nullableString(s.token()).i64(s.createdMs()).bool(s.deleted());
    }

    static Subscription readSubscription(BinaryReader r) {
        return new Subscription(r.string(), r.string(), r.string(), r.string(), readStringMap(r), r.bool(), r.nullableString(), r.i64(), r.bool());
    }

    static byte[] subscriptionValue(Subscription s) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).u8(V1);
        writeSubscription(w, s);
        return w.toByteArray();
    }

    static Subscription subscriptionOf(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        expectVersion(r, V1, "subscription");
        return readSubscription(r);
    }

    static void writeMessage(BinaryWriter w, PublishedMessage m) {
        w.i64(m.seq()).string(m.messageId()).string(m.topic()).i64(m.publishedMs()).string(m.message()).nullableString(m.subject())
                .bool(m.jsonStructure());
        writeAttributes(w, m.attributes());
        w.nullableString(m.groupId()).nullableString(m.deduplicationId());
    }

    static PublishedMessage readMessage(BinaryReader r) {
        return new PublishedMessage(r.i64(), r.string(), r.string(), r.i64(), r.string(), r.nullableString(), r.bool(), readAttributes(r),
                r.nullableString(), r.nullableString());
    }

    static byte[] messageValue(PublishedMessage m) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).u8(V1);
        writeMessage(w, m);
        return w.toByteArray();
    }

    static PublishedMessage messageOf(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        expectVersion(r, V1, "topic message");
        return readMessage(r);
    }

    /** An ordered delivery as stored: (message seq, target kind and name, raw, dead letter, subscription ARN). */
    record OrderedPointer(long messageSeq, Deliveries.Target target, String name, boolean raw, boolean deadLetter, String subscriptionArn) {
    }

    static byte[] orderedPointerValue(OrderedPointer p) {
        return new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).u8(V1).i64(p.messageSeq()).u8(p.target().ordinal()).string(p.name()).bool(p.raw())
                .bool(p.deadLetter()).string(p.subscriptionArn()).toByteArray();
    }

    static OrderedPointer orderedPointerOf(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        expectVersion(r, V1, "queue delivery");
        return new OrderedPointer(r.i64(), Deliveries.Target.values()[r.u8()], r.string(), r.bool(), r.bool(), r.string());
    }

    static byte[] longValue(long v) {
        return new BinaryWriter(9).u8(V1).i64(v).toByteArray();
    }

    static long longOf(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        expectVersion(r, V1, "topic counter");
        return r.i64();
    }

    private static void writeAttributes(BinaryWriter w, SortedMap<String, MessageAttribute> attributes) {
        w.i32(attributes.size());
        attributes.forEach((name, a) -> {
            w.string(name).string(a.dataType()).nullableString(a.stringValue()).bool(a.binaryValue() != null);
            if (a.binaryValue() != null) {
                w.bytes(a.binaryValue());
            }
        });
    }

    private static SortedMap<String, MessageAttribute> readAttributes(BinaryReader r) {
        int n = r.count(Limits.MAX_PUBLISH_ATTRIBUTES);
        SortedMap<String, MessageAttribute> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String name = r.string();
            String type = r.string();
            String value = r.nullableString();
            out.put(name, new MessageAttribute(type, value, r.bool() ? r.bytes() : null));
        }
        return out;
    }
}
