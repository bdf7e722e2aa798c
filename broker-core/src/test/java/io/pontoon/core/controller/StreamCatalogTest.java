package io.pontoon.core.controller;

import io.pontoon.core.controller.ControllerCommand.Reshard;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.controller.StreamTopology.ShardState;
import io.pontoon.core.controller.StreamTopology.Status;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import io.pontoon.core.stream.HashKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The controller's stream namespace: topologies, placement of shards, and reshard steps. */
class StreamCatalogTest {
    private final InMemoryPartitionStore store = new InMemoryPartitionStore();
    private final ControllerStateMachine sm = new ControllerStateMachine();
    private long index;
    private long now = 1_700_000_000_000L;

    @BeforeEach
    void init() {
        apply(new ControllerCommand.InitPartitions(3));
    }

    private ControllerResult apply(ControllerCommand c) {
        return sm.apply(store, List.of(c), ++index, 1, now).get(0);
    }

    private StreamTopology changed(ControllerCommand c) {
        ControllerResult r = apply(c);
        return assertInstanceOf(ControllerResult.StreamChanged.class, r, () -> "expected a change, got " + r).topology();
    }

    private ErrorCode error(ControllerCommand c) {
        return assertInstanceOf(ControllerResult.Error.class, apply(c)).code();
    }

    private StreamTopology describe(String name) {
        try (StoreView v = store.view()) {
            return ((ControllerQueryResult.StreamFound) sm.query(v, new ControllerQuery.DescribeStream(name), now)).topology();
        }
    }

    /** Creates the stream and finishes its creation step, as the orchestrating node does. */
    private StreamTopology active(String name, int shards) {
        StreamTopology t = changed(new ControllerCommand.CreateStream(name, shards, 24, true, Map.of()));
        return changed(new ControllerCommand.FinishStreamStep(name, t.step()));
    }

    /** Finishes steps until the stream is ACTIVE; returns how many steps there were. */
    private int finishAll(String name) {
        int steps = 0;
        StreamTopology t = describe(name);
        while (t.status() != Status.ACTIVE) {
            t = changed(new ControllerCommand.FinishStreamStep(name, t.step()));
            steps++;
            assertTrue(steps < 100);
        }
        return steps;
    }

    @Test
    void aNewStreamHasEqualRangesSpreadOverThePartitionsAndIsActiveOnceItsShardsExist() {
        StreamTopology created = changed(new ControllerCommand.CreateStream("s", 3, 24, true, Map.of("team", "a")));
        assertEquals(Status.CREATING, created.status());
        assertEquals(List.of("shardId-000000000000", "shardId-000000000001", "shardId-000000000002"),
                created.shards().stream().map(ShardInfo::shardId).toList());
        assertEquals(Set.of(0, 1, 2), created.shards().stream().map(ShardInfo::partition).collect(Collectors.toSet()), "one shard per partition");
        assertEquals(3, created.shards().stream().map(ShardInfo::uid).distinct().count(), "uids are unique");
        for (int i = 0; i < 3; i++) {
            assertEquals(HashKeys.uniformRange(i, 3)[0], created.shards().get(i).startingHashKey());
            assertEquals(ShardState.CREATING, created.shards().get(i).state());
        }
        StreamTopology active = changed(new ControllerCommand.FinishStreamStep("s", created.step()));
        assertEquals(Status.ACTIVE, active.status());
        assertTrue(active.shards().stream().allMatch(s -> s.state() == ShardState.OPEN));
        assertEquals(active, changed(new ControllerCommand.FinishStreamStep("s", created.step())), "finishing a step twice changes nothing");
        assertEquals(Map.of("team", "a"), active.tags());
    }

    @Test
    void aQueueAndAStreamMayShareANameButTwoStreamsMayNot() {
        assertInstanceOf(ControllerResult.Placed.class, apply(new ControllerCommand.PlaceQueue("orders")));
        active("orders", 1);
        assertEquals(ErrorCode.RESOURCE_IN_USE, error(new ControllerCommand.CreateStream("orders", 1, 24, true, Map.of())));
    }

    @Test
    void aSplitClosesTheParentAndCoversItsRangeWithTwoChildren() {
        active("s", 1);
        BigInteger mid = BigInteger.ONE.shiftLeft(127);
        StreamTopology t = changed(new ControllerCommand.ReshardStream("s", new Reshard.Split("shardId-000000000000", mid)));
        assertEquals(Status.UPDATING, t.status());
        ShardInfo parent = t.shard("shardId-000000000000").orElseThrow();
        assertEquals(ShardState.CLOSING, parent.state());
        List<ShardInfo> children = t.children("shardId-000000000000");
        assertEquals(2, children.size());
        assertEquals(BigInteger.ZERO, children.get(0).startingHashKey());
        assertEquals(mid.subtract(BigInteger.ONE), children.get(0).endingHashKey());
        assertEquals(mid, children.get(1).startingHashKey());
        assertEquals(HashKeys.MAX, children.get(1).endingHashKey());
        assertEquals(parent, t.shardFor(BigInteger.TEN).orElseThrow(), "records go to the parent until its partition closes it");
        assertEquals(children.get(1), t.childFor("shardId-000000000000", mid).orElseThrow());
        assertEquals(ErrorCode.RESOURCE_IN_USE, error(new ControllerCommand.ReshardStream("s", new Reshard.Split("shardId-000000000001", BigInteger.TEN))),
                "one reshard at a time");
        t = changed(new ControllerCommand.FinishStreamStep("s", t.step()));
        assertEquals(ShardState.CLOSED, t.shard("shardId-000000000000").orElseThrow().state());
        assertEquals("shardId-000000000002", t.shardFor(HashKeys.MAX).orElseThrow().shardId());
    }

    @Test
    void aSplitKeyMustLieInsideTheShard() {
        active("s", 2);
        BigInteger start1 = HashKeys.uniformRange(1, 2)[0];
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.ReshardStream("s", new Reshard.Split("shardId-000000000001", start1))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.ReshardStream("s", new Reshard.Split("shardId-000000000000", start1.add(BigInteger.ONE)))));
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND, error(new ControllerCommand.ReshardStream("s", new Reshard.Split("shardId-000000000009", BigInteger.TEN))));
    }

    @Test
    void onlyAdjacentShardsMerge() {
        active("s", 3);
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.ReshardStream("s", new Reshard.Merge("shardId-000000000000", "shardId-000000000002"))));
        StreamTopology t = changed(new ControllerCommand.ReshardStream("s", new Reshard.Merge("shardId-000000000001", "shardId-000000000000")));
        ShardInfo child = t.children("shardId-000000000000").get(0);
        assertEquals(BigInteger.ZERO, child.startingHashKey());
        assertEquals(HashKeys.uniformRange(1, 3)[1], child.endingHashKey());
        assertEquals("shardId-000000000001", child.parentShardId());
        assertEquals("shardId-000000000000", child.adjacentParentShardId());
    }

    @Test
    void aRecordThatMeetsAClosedParentOfAMergeEntersTheChildOnlyOnceBothParentsAreClosed() {
        active("s", 2);
        StreamTopology t = changed(new ControllerCommand.ReshardStream("s", new Reshard.Merge("shardId-000000000000", "shardId-000000000001")));
        assertTrue(t.childFor("shardId-000000000000", BigInteger.TEN).isEmpty(),
                "while the other parent may still take records with higher sequences, the merged child takes none");
        assertTrue(t.childFor("shardId-000000000001", HashKeys.MAX).isEmpty());
        t = changed(new ControllerCommand.FinishStreamStep("s", t.step(), java.util.Map.of("shardId-000000000000", 5L, "shardId-000000000001", 9L)));
        ShardInfo child = t.childFor("shardId-000000000000", BigInteger.TEN).orElseThrow();
        assertEquals(9L, child.minSeq(), "the child's records start above the larger of its parents' ending sequences");
        assertEquals(child, t.childFor("shardId-000000000001", HashKeys.MAX).orElseThrow());
    }

    @Test
    void uniformScalingReachesEqualRangesThroughSplitsAndMergesOfAdjacentShards() {
        int[][] scalings = {{3, 4}, {4, 2}, {2, 3}, {3, 6}, {6, 5}, {5, 3}};
        for (int[] sc : scalings) {
            String name = "s" + sc[0] + "to" + sc[1];
            active(name, sc[0]);
            StreamTopology t = changed(new ControllerCommand.ReshardStream(name, new Reshard.Scale(sc[1])));
            assertEquals(Status.UPDATING, t.status());
            int steps = finishAll(name);
            StreamTopology done = describe(name);
            List<ShardInfo> open = done.openShards();
            assertEquals(sc[1], open.size(), name);
            for (int i = 0; i < sc[1]; i++) {
                BigInteger[] r = HashKeys.uniformRange(i, sc[1]);
                assertEquals(r[0], open.get(i).startingHashKey(), name + " shard " + i);
                assertEquals(r[1], open.get(i).endingHashKey(), name + " shard " + i);
            }
            for (ShardInfo s : done.shards()) {
                if (s.parentShardId() != null) {
                    ShardInfo parent = done.shard(s.parentShardId()).orElseThrow();
                    assertEquals(ShardState.CLOSED, parent.state(), "every parent is closed");
                }
            }
            assertTrue(steps >= 1 && steps <= sc[0] + sc[1], name + " took " + steps + " steps");
        }
    }

    @Test
    void scalingStaysWithinHalfAndTwiceAndTenTimesADay() {
        active("s", 4);
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.ReshardStream("s", new Reshard.Scale(9))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.ReshardStream("s", new Reshard.Scale(1))));
        for (int i = 0; i < 10; i++) {
            changed(new ControllerCommand.ReshardStream("s", new Reshard.Scale(i % 2 == 0 ? 2 : 4)));
            finishAll("s");
        }
        assertEquals(ErrorCode.LIMIT_EXCEEDED, error(new ControllerCommand.ReshardStream("s", new Reshard.Scale(2))));
        now += 86_400_001L;
        changed(new ControllerCommand.ReshardStream("s", new Reshard.Scale(2)));
    }

    @Test
    void aStreamWithConsumersIsDeletedOnlyWhenToldToDeleteThemToo() {
        active("s", 2);
        changed(new ControllerCommand.RegisterConsumer("s", "c1"));
        assertEquals(ErrorCode.RESOURCE_IN_USE, error(new ControllerCommand.RegisterConsumer("s", "c1")));
        assertEquals(ErrorCode.RESOURCE_IN_USE, error(new ControllerCommand.DeleteStream("s", false)));
        StreamTopology deleting = changed(new ControllerCommand.DeleteStream("s", true));
        assertEquals(Status.DELETING, deleting.status());
        assertTrue(deleting.consumers().isEmpty());
        changed(new ControllerCommand.ForgetStream("s"));
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND, error(new ControllerCommand.DeleteStream("s", true)));
        active("s", 1); // the name is free at once
    }

    @Test
    void consumersAreLimitedToTwentyAndDeregisteringAnUnknownOneIsNotFound() {
        active("s", 1);
        for (int i = 0; i < 20; i++) {
            changed(new ControllerCommand.RegisterConsumer("s", "c" + i));
        }
        assertEquals(ErrorCode.LIMIT_EXCEEDED, error(new ControllerCommand.RegisterConsumer("s", "c20")));
        changed(new ControllerCommand.DeregisterConsumer("s", "c3"));
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND, error(new ControllerCommand.DeregisterConsumer("s", "c3")));
    }

    @Test
    void aStreamsTagRulesAnswerWithKinesisCodesAndNameTheStream() {
        active("s", 1);
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.UpdateStream("s", 0, true, Map.of("aws:owner", "x"), List.of(), null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.UpdateStream("s", 0, true, Map.of("k", "v".repeat(257)), List.of(), null)));
        Map<String, String> tooMany = new java.util.HashMap<>();
        for (int i = 0; i < 51; i++) {
            tooMany.put("k" + i, "v");
        }
        BrokerException e = assertThrows(BrokerException.class, () -> io.pontoon.core.stream.StreamValidator.tags(tooMany));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
        assertTrue(e.getMessage().contains("A stream can have at most 50 tags"), e.getMessage());
    }

    @Test
    void retentionMovesOnlyTheWayItsCallSaysAndTagsAreLimited() {
        active("s", 1);
        assertEquals(48, changed(new ControllerCommand.UpdateStream("s", 48, true, Map.of(), List.of(), null)).retentionHours());
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.UpdateStream("s", 24, true, Map.of(), List.of(), null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(new ControllerCommand.UpdateStream("s", 72, false, Map.of(), List.of(), null)));
        assertEquals(24, changed(new ControllerCommand.UpdateStream("s", 24, false, Map.of(), List.of(), null)).retentionHours());
        assertFalse(changed(new ControllerCommand.UpdateStream("s", 0, true, Map.of("a", "1"), List.of(), false)).enforceLimits());
        for (int i = 0; i < 49; i++) {
            changed(new ControllerCommand.UpdateStream("s", 0, true, Map.of("k" + i, "v"), List.of(), null));
        }
        assertEquals(ErrorCode.LIMIT_EXCEEDED, error(new ControllerCommand.UpdateStream("s", 0, true, Map.of("one-more", "v"), List.of(), null)));
        assertEquals(49, changed(new ControllerCommand.UpdateStream("s", 0, true, Map.of(), List.of("a"), null)).tags().size());
    }

    @Test
    void streamCommandsResultsAndQueriesRoundTrip() {
        List<ControllerCommand> cmds = List.of(new ControllerCommand.CreateStream("s", 3, 48, false, Map.of("a", "b")),
                new ControllerCommand.FinishStreamStep("s", 7),
                new ControllerCommand.ReshardStream("s", new Reshard.Split("shardId-000000000001", BigInteger.TEN)),
                new ControllerCommand.ReshardStream("s", new Reshard.Merge("shardId-000000000001", "shardId-000000000002")),
                new ControllerCommand.ReshardStream("s", new Reshard.Scale(5)),
                new ControllerCommand.DeleteStream("s", true), new ControllerCommand.ForgetStream("s"),
                new ControllerCommand.UpdateStream("s", 48, true, Map.of("k", "v"), List.of("x"), true),
                new ControllerCommand.UpdateStream("s", 0, false, Map.of(), List.of(), null),
                new ControllerCommand.RegisterConsumer("s", "c"), new ControllerCommand.DeregisterConsumer("s", "c"));
        assertEquals(cmds, ControllerCodec.decode(ControllerCodec.encode(cmds)));
        StreamTopology t = active("s", 3);
        List<ControllerResult> results = List.of(new ControllerResult.StreamChanged(t));
        assertEquals(results, ControllerCodec.decodeResults(ControllerCodec.encodeResults(results)));
        for (ControllerQuery q : List.of(new ControllerQuery.DescribeStream("s"), new ControllerQuery.ListStreams("a", 10))) {
            assertEquals(q, ControllerCodec.decodeQuery(ControllerCodec.encodeQuery(q)));
        }
        for (ControllerQueryResult r : List.of(new ControllerQueryResult.StreamFound(t), new ControllerQueryResult.StreamNames(List.of("a", "b"), true))) {
            assertEquals(r, ControllerCodec.decodeQueryResult(ControllerCodec.encodeQueryResult(r)));
        }
    }

    @Test
    void aStreamIsDeletedOnlyWhenActiveAndAFinishedStepGivesChildrenTheirParentsEndingSequence() {
        active("s", 1);
        StreamTopology t = changed(new ControllerCommand.ReshardStream("s", new Reshard.Split("shardId-000000000000", BigInteger.TEN)));
        assertEquals(ErrorCode.RESOURCE_IN_USE, error(new ControllerCommand.DeleteStream("s", false)), "not while a reshard is under way");
        t = changed(new ControllerCommand.FinishStreamStep("s", t.step(), Map.of("shardId-000000000000", 77L)));
        assertEquals(List.of(77L, 77L), t.children("shardId-000000000000").stream().map(ShardInfo::minSeq).toList());
        assertEquals(-1L, t.shard("shardId-000000000000").orElseThrow().minSeq());
        changed(new ControllerCommand.DeleteStream("s", false));
    }

    @Test
    void listStreamsPagesByName() {
        for (String n : new String[] {"c", "a", "b"}) {
            active(n, 1);
        }
        try (StoreView v = store.view()) {
            ControllerQueryResult.StreamNames first = (ControllerQueryResult.StreamNames) sm.query(v, new ControllerQuery.ListStreams("", 2), now);
            assertEquals(List.of("a", "b"), first.names());
            assertTrue(first.hasMore());
            ControllerQueryResult.StreamNames rest = (ControllerQueryResult.StreamNames) sm.query(v, new ControllerQuery.ListStreams("b", 2), now);
            assertEquals(List.of("c"), rest.names());
            assertFalse(rest.hasMore());
        }
    }
}
