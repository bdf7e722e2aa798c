package io.pontoon.core.controller;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.controller.ControllerCommand.*;
import io.pontoon.core.controller.ControllerQueryResult.QueuePlacement;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ControllerTest {
    private final InMemoryPartitionStore store = new InMemoryPartitionStore();
    private final ControllerStateMachine sm = new ControllerStateMachine();
    private long index;
    private long now = 1_000_000;

    private ControllerResult apply(ControllerCommand c) {
        return sm.apply(store, List.of(c), ++index, 1, now).get(0);
    }

    private ControllerQueryResult query(ControllerQuery q) {
        try (StoreView v = store.view()) {
            return sm.query(v, q, now);
        }
    }

    private int place(String name) {
        return ((ControllerResult.Placed) apply(new PlaceQueue(name))).partitionId();
    }

    @Test
    void placesOnTheLeastLoadedPartitionLowestIdOnTies() {
        apply(new InitPartitions(3));
        assertEquals(List.of(0, 1, 2, 0), List.of(place("a"), place("b"), place("c"), place("d")));
        apply(new UnplaceQueue("b"));
        assertEquals(1, place("e"), "partition 1 has the fewest queues now");
    }

    @Test
    void aShardedQueueIsPlacedOnTheLeastLoadedDistinctPartitions() {
        apply(new InitPartitions(4));
        place("a");
        place("b");
        ControllerResult.Placed placed = (ControllerResult.Placed) apply(new PlaceQueue("big.fifo", 3));
        assertEquals(List.of(2, 3, 0), placed.partitions(), "the two empty partitions first, then the lowest id");
        assertEquals(new ControllerQueryResult.Found(new QueuePlacement("big.fifo", List.of(2, 3, 0))),
                query(new ControllerQuery.LookupQueue("big.fifo")));
        assertEquals(1, place("c"), "every shard counts as load");
        apply(new UnplaceQueue("big.fifo"));
        assertEquals(2, place("d"), "unplacing released every shard");
    }

    @Test
    void shardsAreCappedByThePartitionCount() {
        apply(new InitPartitions(2));
        assertEquals(List.of(0, 1), ((ControllerResult.Placed) apply(new PlaceQueue("wide.fifo", 8))).partitions());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, ((ControllerResult.Error) apply(new PlaceQueue("zero.fifo", 0))).code());
    }

    @Test
    void placeIsIdempotent() {
        apply(new InitPartitions(2));
        place("a");
        assertEquals(new ControllerResult.Placed("a", List.of(0), false), apply(new PlaceQueue("a")));
        assertEquals(1, place("b"), "the repeat did not count as a second queue");
    }

    @Test
    void deletedQueueNameCannotBeReusedFor60s() {
        apply(new InitPartitions(1));
        place("a");
        apply(new UnplaceQueue("a"));
        now += 59_999;
        assertEquals(ErrorCode.QUEUE_DELETED_RECENTLY, ((ControllerResult.Error) apply(new PlaceQueue("a"))).code());
        now += 1;
        assertEquals(new ControllerResult.Placed("a", List.of(0), true), apply(new PlaceQueue("a")));
    }

    @Test
    void initPartitionsIsSetOnce() {
        assertEquals(new ControllerResult.PartitionsInitialized(4), apply(new InitPartitions(4)));
        assertEquals(new ControllerResult.PartitionsInitialized(4), apply(new InitPartitions(4)));
        assertInstanceOf(ControllerResult.Error.class, apply(new InitPartitions(5)));
        assertEquals(new ControllerQueryResult.PartitionCountResult(4), query(new ControllerQuery.PartitionCount()));
    }

    @Test
    void placeBeforeInitAndUnplaceUnknownFail() {
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, ((ControllerResult.Error) apply(new PlaceQueue("a"))).code());
        assertEquals(ErrorCode.NON_EXISTENT_QUEUE, ((ControllerResult.Error) apply(new UnplaceQueue("a"))).code());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, ((ControllerResult.Error) apply(new PlaceQueue("bad name"))).code());
    }

    @Test
    void lookupAndListPlacements() {
        apply(new InitPartitions(2));
        for (String n : List.of("x1", "x2", "x3", "y")) {
            place(n);
        }
        assertEquals(new ControllerQueryResult.Found(new QueuePlacement("x2", List.of(1))), query(new ControllerQuery.LookupQueue("x2")));
        assertInstanceOf(ControllerQueryResult.Error.class, query(new ControllerQuery.LookupQueue("nope")));
        var p1 = (ControllerQueryResult.PlacementList) query(new ControllerQuery.ListPlacements("x", "", 2));
        assertEquals(List.of(new QueuePlacement("x1", List.of(0)), new QueuePlacement("x2", List.of(1))), p1.placements());
        assertEquals("x2", p1.nextStartAfter());
        var p2 = (ControllerQueryResult.PlacementList) query(new ControllerQuery.ListPlacements("x", "x2", 2));
        assertEquals(List.of(new QueuePlacement("x3", List.of(0))), p2.placements());
        assertNull(p2.nextStartAfter());
    }

    @Test
    void tickRemovesExpiredTombstones() {
        apply(new InitPartitions(1));
        place("a");
        apply(new UnplaceQueue("a"));
        assertEquals(new ControllerResult.Ticked(0), apply(new Tick()));
        now += 60_000;
        assertEquals(new ControllerResult.Ticked(1), apply(new Tick()));
    }

    @Test
    void replayedIndexIsNotAppliedTwice() {
        apply(new InitPartitions(2));
        assertEquals(0, ((ControllerResult.Placed) sm.apply(store, List.of(new PlaceQueue("a")), ++index, 1, now).get(0)).partitionId());
        assertTrue(sm.apply(store, List.of(new PlaceQueue("b")), index, 1, now).isEmpty());
        assertInstanceOf(ControllerQueryResult.Error.class, query(new ControllerQuery.LookupQueue("b")));
    }

    @Test
    void codecRoundTripsEverything() {
        List<ControllerCommand> cmds = List.of(new InitPartitions(3), new PlaceQueue("a"), new PlaceQueue("s.fifo", 3), new UnplaceQueue("b"), new Tick());
        assertEquals(cmds, ControllerCodec.decode(ControllerCodec.encode(cmds)));
        List<ControllerResult> results = List.of(new ControllerResult.Error(ErrorCode.QUEUE_DELETED_RECENTLY, "m"),
                new ControllerResult.PartitionsInitialized(3), new ControllerResult.Placed("a", List.of(2), true),
                new ControllerResult.Unplaced("b", List.of(1)), new ControllerResult.Ticked(4));
        assertEquals(results, ControllerCodec.decodeResults(ControllerCodec.encodeResults(results)));
        for (ControllerQuery q : List.of(new ControllerQuery.LookupQueue("a"), new ControllerQuery.ListPlacements("p", "s", 7),
                new ControllerQuery.PartitionCount())) {
            assertEquals(q, ControllerCodec.decodeQuery(ControllerCodec.encodeQuery(q)));
        }
        for (ControllerQueryResult r : List.of(new ControllerQueryResult.Error(ErrorCode.NON_EXISTENT_QUEUE, "x"),
                new ControllerQueryResult.Found(new QueuePlacement("a", List.of(1))),
                new ControllerQueryResult.PlacementList(List.of(new QueuePlacement("a", List.of(1))), "a"),
                new ControllerQueryResult.PlacementList(List.of(), null),
                new ControllerQueryResult.PartitionCountResult(9))) {
            assertEquals(r, ControllerCodec.decodeQueryResult(ControllerCodec.encodeQueryResult(r)));
        }
        byte[] bad = ControllerCodec.encode(cmds);
        bad[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> ControllerCodec.decode(bad));
        // A v1 log (before shard counts) still reads: PlaceQueue has one shard.
        byte[] v1 = new io.pontoon.core.codec.BinaryWriter(1 << 10).u8(1).i32(1).u8(PlaceQueue.TYPE_ID).string("old").toByteArray();
        assertEquals(List.of(new PlaceQueue("old", 1)), ControllerCodec.decode(v1));
    }
}
