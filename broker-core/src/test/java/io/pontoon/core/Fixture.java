package io.pontoon.core;

import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.command.PartitionCommand.*;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.command.QueryResult;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.storage.StoreView;
import io.pontoon.core.storage.memory.InMemoryPartitionStore;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A partition state machine over an in-memory store with an injected clock and a log-index counter. */
final class Fixture {
    final InMemoryPartitionStore store = new InMemoryPartitionStore();
    final PartitionStateMachine sm;
    long index;
    long nowMs = 1_700_000_000_000L;

    Fixture() {
        this(CoreConfig.DEFAULTS);
    }

    Fixture(CoreConfig config) {
        sm = new PartitionStateMachine(7, config);
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

    QueryResult query(PartitionQuery q) {
        try (StoreView v = store.view()) {
            return sm.query(v, q, nowMs);
        }
    }

    void createQueue(String name) {
        createQueue(name, QueueAttributes.DEFAULTS);
    }

    void createQueue(String name, QueueAttributes attrs) {
        assertInstanceOf(PartitionResult.QueueCreated.class, apply(new CreateQueue(name, attrs)));
    }

    static QueueAttributes attrs(int vt, int retention, int delay, int maxSize) {
        return new QueueAttributes(vt, retention, delay, 0, maxSize, Map.of());
    }

    PartitionResult.Sent send(String queue, String... bodies) {
        List<SendEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            entries.add(new SendEntry("e" + i, bodies[i], new TreeMap<>(), null));
        }
        return assertInstanceOf(PartitionResult.Sent.class, apply(new SendMessages(queue, entries)));
    }

    PartitionResult.Sent sendDelayed(String queue, String body, int delaySeconds) {
        return assertInstanceOf(PartitionResult.Sent.class,
                apply(new SendMessages(queue, List.of(new SendEntry("e", body, new TreeMap<>(), delaySeconds)))));
    }

    List<PartitionResult.ReceivedMessage> receive(String queue, int max) {
        return receive(queue, max, null);
    }

    List<PartitionResult.ReceivedMessage> receive(String queue, int max, Integer vt) {
        return assertInstanceOf(PartitionResult.Received.class, apply(new ReceiveMessages(queue, max, vt))).messages();
    }

    PartitionResult.BatchOutcome delete(String queue, String handle) {
        return assertInstanceOf(PartitionResult.BatchOutcome.class,
                apply(new DeleteMessages(queue, List.of(new DeleteEntry("d", handle)))));
    }

    PartitionResult.BatchOutcome changeVisibility(String queue, String handle, int seconds) {
        return assertInstanceOf(PartitionResult.BatchOutcome.class,
                apply(new ChangeMessageVisibility(queue, List.of(new VisibilityEntryChange("c", handle, seconds)))));
    }

    SortedMap<String, String> attributes(String queue, String... names) {
        return assertInstanceOf(QueryResult.Attributes.class,
                query(new PartitionQuery.GetQueueAttributes(queue, List.of(names)))).attributes();
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
