package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.Tick;
import io.pontoon.core.CoreConfig;
import io.pontoon.core.Limits;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueCommand.*;
import io.pontoon.core.queue.QueueQuery;


import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.Deliveries;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import io.pontoon.core.queue.QueueValidator;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A partition state machine over an in-memory store with an injected clock and a log-index counter. */
final class Fixture {
    static final int DEFAULT_PARTITION = 7;

    final InMemoryPartitionStore store;
    final int partitionId;
    final PartitionStateMachine sm;
    long index;
    long nowMs = 1_700_000_000_000L;

    Fixture() {
        this(CoreConfig.DEFAULTS);
    }

    Fixture(CoreConfig config) {
        this(DEFAULT_PARTITION, config);
    }

    Fixture(int partitionId, CoreConfig config) {
        this(new InMemoryPartitionStore(), partitionId, config);
    }

    private Fixture(InMemoryPartitionStore store, int partitionId, CoreConfig config) {
        this.store = store;
        this.partitionId = partitionId;
        this.sm = new PartitionStateMachine(partitionId, config);
    }

    /**
     * A new replica (a new state machine) over a copy of this partition's committed state, as a new leader or a
     * follower that installed a snapshot would have it; it continues at the same log index and leader time.
     */
    Fixture restoredFromCheckpoint(Path dir) {
        store.checkpoint(dir);
        Fixture restored = new Fixture(InMemoryPartitionStore.openCheckpoint(dir), partitionId, CoreConfig.DEFAULTS);
        restored.index = store.meta().appliedIndex();
        restored.nowMs = nowMs;
        return restored;
    }

    void advanceSeconds(long s) {
        nowMs += s * 1000;
    }

    List<PartitionResult> applyAll(PartitionCommand... commands) {
        return sm.apply(store, List.of(commands), ++index, 1, nowMs);
    }

    PartitionResult apply(PartitionCommand c) {
        return applyAll(c).get(0);
    }

    QueryResult query(QueueQuery q) {
        try (StoreView v = store.view()) {
            return sm.query(v, q, nowMs);
        }
    }

    void createQueue(String name) {
        createQueue(name, QueueAttributes.DEFAULTS);
    }

    void createQueue(String name, QueueAttributes attrs) {
        assertInstanceOf(QueueResult.QueueCreated.class, apply(new CreateQueue(name, attrs)));
    }

    /** Creates a queue from SQS-named attributes, as the server does (QueueValidator.createQueueAttributes). */
    void createQueue(String name, Map<String, String> sqsAttributes) {
        createQueue(name, QueueValidator.createQueueAttributes(name, sqsAttributes, Map.of()));
    }

    /** A FIFO queue (FifoQueue=true) with further SQS-named attributes given as name/value pairs. */
    void createFifoQueue(String name, String... nameValuePairs) {
        Map<String, String> m = new LinkedHashMap<>(pairs(nameValuePairs));
        m.put("FifoQueue", "true");
        createQueue(name, m);
    }

    static Map<String, String> pairs(String... nameValuePairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            m.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return m;
    }

    static String arn(String queueName) {
        return QueueUrls.arn(queueName);
    }

    static String redrivePolicy(String deadLetterQueue, int maxReceiveCount) {
        return "{\"deadLetterTargetArn\":\"" + arn(deadLetterQueue) + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
    }

    static QueueAttributes attrs(int vt, int retention, int delay, int maxSize) {
        return new QueueAttributes(vt, retention, delay, 0, maxSize, Map.of());
    }

    QueueResult.Sent send(String queue, String... bodies) {
        List<SendEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            entries.add(new SendEntry("e" + i, bodies[i], new TreeMap<>(), null));
        }
        return assertInstanceOf(QueueResult.Sent.class, apply(new SendMessages(queue, entries)));
    }

    QueueResult.Sent sendDelayed(String queue, String body, int delaySeconds) {
        return assertInstanceOf(QueueResult.Sent.class,
                apply(new SendMessages(queue, List.of(new SendEntry("e", body, new TreeMap<>(), delaySeconds)))));
    }

    static SendEntry fifoEntry(String id, String body, String groupId, String deduplicationId) {
        return new SendEntry(id, body, new TreeMap<>(), null, groupId, deduplicationId);
    }

    QueueResult.Sent sendFifo(String queue, String groupId, String deduplicationId, String body) {
        return sendBatch(queue, fifoEntry("e", body, groupId, deduplicationId));
    }

    /** One FIFO batch: bodies in order, all in {@code groupId}, each its own body as dedup id. */
    QueueResult.Sent sendFifoBatch(String queue, String groupId, String... bodies) {
        List<SendEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            entries.add(fifoEntry("e" + i, bodies[i], groupId, bodies[i]));
        }
        return sendBatch(queue, entries.toArray(SendEntry[]::new));
    }

    QueueResult.Sent sendBatch(String queue, SendEntry... entries) {
        return assertInstanceOf(QueueResult.Sent.class, apply(new SendMessages(queue, List.of(entries))));
    }

    List<DeliveredMessage> receiveWithAttempt(String queue, int max, Integer vt, String attemptId) {
        return delivered(apply(new ReceiveMessages(queue, max, vt, attemptId)));
    }

    /** What the node answering a receive does: reads the taken messages' content from the applied state. */
    List<DeliveredMessage> delivered(PartitionResult received) {
        try (StoreView v = store.view()) {
            return Deliveries.read(v, assertInstanceOf(QueueResult.Received.class, received));
        }
    }

    static List<String> bodies(List<DeliveredMessage> messages) {
        return messages.stream().map(DeliveredMessage::body).toList();
    }

    PartitionResult.Ticked tick() {
        return assertInstanceOf(PartitionResult.Ticked.class, apply(new Tick()));
    }

    List<MovedMessage> readOutbox() {
        return assertInstanceOf(QueueQueryResult.Outbox.class, query(new QueueQuery.ReadOutbox(Limits.MAX_OUTBOX_BATCH))).entries();
    }

    QueueResult.Ingested ingest(int sourcePartition, List<MovedMessage> messages) {
        return assertInstanceOf(QueueResult.Ingested.class, apply(new IngestMessages(sourcePartition, messages)));
    }

    void settle(List<Long> delivered, List<Long> returned) {
        assertEquals(new PartitionResult.Ok(), apply(new SettleOutbox(delivered, returned)));
    }

    /** What the node's forwarder does: deliver the whole outbox to {@code destination}, then settle it as delivered. */
    QueueResult.Ingested forwardOutboxTo(Fixture destination) {
        List<MovedMessage> entries = readOutbox();
        if (entries.isEmpty()) {
            return new QueueResult.Ingested(0, 0);
        }
        destination.nowMs = Math.max(destination.nowMs, nowMs);
        QueueResult.Ingested ingested = destination.ingest(partitionId, entries);
        settle(entries.stream().map(MovedMessage::outboxSeq).toList(), List.of());
        return ingested;
    }

    List<AuxEntry> auxEntries(AuxTable table) {
        try (StoreView v = store.view()) {
            return v.auxRange(table, new byte[0], null, 10_000);
        }
    }

    /** The queue's stored message count (visible + in flight + delayed), exact. */
    long messageCount(String queue) {
        try (StoreView v = store.view()) {
            return v.queue(queue).orElseThrow().messageCount();
        }
    }

    QueueQueryResult.Stats stats(String queue) {
        return assertInstanceOf(QueueQueryResult.Stats.class, query(new QueueQuery.QueueStats(queue)));
    }

    List<QueueQueryResult.MoveTaskInfo> moveTasks(String queue) {
        return assertInstanceOf(QueueQueryResult.MoveTasks.class,
                query(new QueueQuery.ListMoveTasks(queue, Limits.MAX_LIST_MOVE_TASKS_RESULTS))).tasks();
    }

    /** The validator rejects the request with an error of the client's making (HTTP 400 class). */
    static BrokerException assertRejected(Executable request) {
        BrokerException e = assertThrows(BrokerException.class, request);
        assertEquals(ErrorCode.StatusClass.INVALID_ARGUMENT, e.code().status(), e.code() + ": " + e.getMessage());
        return e;
    }

    List<DeliveredMessage> receive(String queue, int max) {
        return receive(queue, max, null);
    }

    List<DeliveredMessage> receive(String queue, int max, Integer vt) {
        return delivered(apply(new ReceiveMessages(queue, max, vt)));
    }

    QueueResult.BatchOutcome delete(String queue, String handle) {
        return assertInstanceOf(QueueResult.BatchOutcome.class,
                apply(new DeleteMessages(queue, List.of(new DeleteEntry("d", handle)))));
    }

    QueueResult.BatchOutcome changeVisibility(String queue, String handle, int seconds) {
        return assertInstanceOf(QueueResult.BatchOutcome.class,
                apply(new ChangeMessageVisibility(queue, List.of(new VisibilityEntryChange("c", handle, seconds)))));
    }

    SortedMap<String, String> attributes(String queue, String... names) {
        return assertInstanceOf(QueueQueryResult.Attributes.class,
                query(new QueueQuery.GetQueueAttributes(queue, List.of(names)))).attributes();
    }

    java.util.SortedMap<String, String> tags(String queue) {
        return assertInstanceOf(QueueQueryResult.Tags.class, query(new QueueQuery.ListQueueTags(queue))).tags();
    }

    long approximate(String queue, String name) {
        return Long.parseLong(attributes(queue, name).get(name));
    }

    static void assertError(io.pontoon.core.error.ErrorCode code, PartitionResult r) {
        assertEquals(code, assertInstanceOf(PartitionResult.Error.class, r).code());
    }

    static SortedMap<String, MessageAttribute> stringAttr(String name, String value) {
        SortedMap<String, MessageAttribute> m = new TreeMap<>();
        m.put(name, new MessageAttribute("String", value, null));
        return m;
    }
}
