package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.Tick;
import io.pontoon.core.CoreConfig;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueCommand.*;
import io.pontoon.core.queue.QueueQuery;


import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class ApplyContractTest {
    private final Fixture f = new Fixture();

    @Test
    void replayedIndexIsNotAppliedTwice() {
        f.createQueue("q");
        List<QueueCommand> send = List.of(new SendMessages("q", List.of(new SendEntry("a", "m", new TreeMap<>(), null))));
        long idx = ++f.index;
        assertEquals(1, f.sm.apply(f.store, send, idx, 1, f.nowMs).size());
        byte[] state = f.store.stateBytes();
        assertTrue(f.sm.apply(f.store, send, idx, 1, f.nowMs).isEmpty(), "same index again");
        assertTrue(f.sm.apply(f.store, send, idx - 1, 1, f.nowMs).isEmpty(), "older index");
        assertArrayEquals(state, f.store.stateBytes());
        assertEquals(1, f.approximate("q", "ApproximateNumberOfMessages"));
    }

    @Test
    void appliedPositionIsCommittedWithTheData() {
        f.createQueue("q");
        assertEquals(f.index, f.store.meta().appliedIndex());
        assertEquals(f.nowMs, f.store.meta().effectiveNowMs());
    }

    @Test
    void effectiveTimeNeverRunsBackward() {
        f.createQueue("q", Fixture.attrs(30, 345_600, 0, 1_048_576));
        f.send("q", "m");
        f.receive("q", 1);
        long later = f.nowMs + 31_000;
        f.sm.apply(f.store, List.of(new Tick()), ++f.index, 1, later);
        // A new leader with a clock 1 hour behind: time must not rewind, so the message stays visible.
        List<PartitionResult> r = f.sm.apply(f.store, List.of(new ReceiveMessages("q", 1, null)), ++f.index, 2, later - 3_600_000);
        assertEquals(1, ((QueueResult.Received) r.get(0)).messages().size());
        assertEquals(later, f.store.meta().effectiveNowMs());
    }

    @Test
    void sameCommandsOnTwoStoresGiveIdenticalResultsAndState() {
        List<List<PartitionCommand>> entries = new ArrayList<>();
        entries.add(List.of(new CreateQueue("a", QueueAttributes.DEFAULTS), new CreateQueue("b", Fixture.attrs(5, 60, 1, 2_048))));
        entries.add(List.of(new SendMessages("a", List.of(new SendEntry("1", "x", Fixture.stringAttr("k", "v"), null),
                new SendEntry("2", "y", new TreeMap<>(), 3))), new SendMessages("b", List.of(new SendEntry("1", "z", new TreeMap<>(), null)))));
        entries.add(List.of(new ReceiveMessages("a", 10, null), new ReceiveMessages("b", 10, 0)));
        entries.add(List.of(new Tick(), new SetQueueAttributes("a", Map.of("VisibilityTimeout", "1")), new PurgeQueue("b")));
        entries.add(List.of(new ReceiveMessages("a", 10, null), new Tick(), new DeleteQueue("b")));
        InMemoryPartitionStore s1 = new InMemoryPartitionStore(), s2 = new InMemoryPartitionStore();
        PartitionStateMachine m1 = new PartitionStateMachine(3, CoreConfig.DEFAULTS), m2 = new PartitionStateMachine(3, CoreConfig.DEFAULTS);
        long t = 1_000_000;
        for (int i = 0; i < entries.size(); i++) {
            t += 4_000;
            byte[] r1 = io.pontoon.core.partition.PartitionCodec.encodeResults(m1.apply(s1, entries.get(i), i + 1, 1, t));
            byte[] r2 = io.pontoon.core.partition.PartitionCodec.encodeResults(m2.apply(s2, entries.get(i), i + 1, 1, t));
            assertArrayEquals(r1, r2, "results of entry " + i);
        }
        assertArrayEquals(s1.stateBytes(), s2.stateBytes());
        assertNotEquals(new InMemoryPartitionStore().stateBytes().length, s1.stateBytes().length);
    }

    @Test
    void queueAttributesReportCountsTimestampsAndArn() {
        f.createQueue("q");
        f.send("q", "a", "b", "c");
        f.sendDelayed("q", "d", 60);
        f.receive("q", 1);
        var a = f.attributes("q", "All");
        assertEquals("2", a.get("ApproximateNumberOfMessages"));
        assertEquals("1", a.get("ApproximateNumberOfMessagesNotVisible"));
        assertEquals("1", a.get("ApproximateNumberOfMessagesDelayed"));
        assertEquals(String.valueOf(f.nowMs / 1000), a.get("CreatedTimestamp"));
        assertEquals("arn:aws:sqs:pontoon:000000000000:q", a.get("QueueArn"));
        assertEquals("30", a.get("VisibilityTimeout"));
        assertEquals("345600", a.get("MessageRetentionPeriod"));
        assertEquals("0", a.get("DelaySeconds"));
        assertEquals("0", a.get("ReceiveMessageWaitTimeSeconds"));
        assertEquals("1048576", a.get("MaximumMessageSize"));
        assertEquals(Map.of("DelaySeconds", "0"), f.attributes("q", "DelaySeconds"));
        assertTrue(f.attributes("q").isEmpty(), "no names, no attributes");
    }

    @Test
    void queueStatsReportsOldestAge() {
        f.createQueue("q");
        f.send("q", "a");
        f.advanceSeconds(5);
        QueueQueryResult.Stats s = (QueueQueryResult.Stats) f.query(new QueueQuery.QueueStats("q"));
        assertEquals(new QueueQueryResult.Stats(1, 0, 0, 5_000, true), s);
    }

    @Test
    void getQueueUrlAndMissingQueue() {
        f.createQueue("q");
        assertEquals(new QueueQueryResult.QueueUrl("pontoon://queue/q"), f.query(new QueueQuery.GetQueueUrl("q")));
        assertEquals(io.pontoon.core.error.ErrorCode.NON_EXISTENT_QUEUE,
                ((QueryResult.Error) f.query(new QueueQuery.GetQueueUrl("nope"))).code());
    }

    @Test
    void listQueuesPaginatesWithAToken() {
        for (String n : List.of("a1", "a2", "a3", "b1")) {
            f.createQueue(n);
        }
        QueueQueryResult.QueueList p1 = (QueueQueryResult.QueueList) f.query(new QueueQuery.ListQueues("a", null, 2));
        assertEquals(List.of("pontoon://queue/a1", "pontoon://queue/a2"), p1.queueUrls());
        assertNotNull(p1.nextToken());
        QueueQueryResult.QueueList p2 = (QueueQueryResult.QueueList) f.query(new QueueQuery.ListQueues("a", p1.nextToken(), 2));
        assertEquals(List.of("pontoon://queue/a3"), p2.queueUrls());
        assertNull(p2.nextToken());
        QueueQueryResult.QueueList all = (QueueQueryResult.QueueList) f.query(new QueueQuery.ListQueues("", null, null));
        assertEquals(4, all.queueUrls().size());
        assertNull(all.nextToken());
    }

    @Test
    void invalidQueryIsAnErrorResult() {
        QueryResult r = f.query(new QueueQuery.ListQueues("", null, 0));
        assertEquals(io.pontoon.core.error.ErrorCode.INVALID_PARAMETER_VALUE, ((QueryResult.Error) r).code());
    }
}
