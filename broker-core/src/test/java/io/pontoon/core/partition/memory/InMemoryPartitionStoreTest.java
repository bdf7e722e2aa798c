package io.pontoon.core.partition.memory;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.VisibilityEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class InMemoryPartitionStoreTest {
    private final InMemoryPartitionStore store = new InMemoryPartitionStore();

    private static MessageRecord msg(long q, long seq, long visibleAt) {
        return new MessageRecord(q, seq, "id" + seq, 1, 0, visibleAt, 0, 0, 0, 0, null, null, null);
    }

    @Test
    void txnSeesOwnWritesAndViewsSeeOnlyCommitted() {
        try (StoreTxn txn = store.begin(); StoreView before = store.view()) {
            txn.putQueue(new QueueRecord(1, "q", QueueAttributes.DEFAULTS, 0, 0, 0, 0));
            assertTrue(txn.queue("q").isPresent());
            assertTrue(before.queue("q").isEmpty());
            txn.commit(new PartitionMeta(1, 1, 5, 1));
            assertTrue(before.queue("q").isEmpty(), "views are point-in-time");
        }
        assertTrue(store.view().queue("q").isPresent());
        assertEquals(1, store.meta().appliedIndex());
    }

    @Test
    void closeWithoutCommitDiscards() {
        try (StoreTxn txn = store.begin()) {
            txn.putRegistryRecord("k", new byte[]{1});
        }
        assertTrue(store.view().registryRecord("k").isEmpty());
        assertEquals(PartitionMeta.EMPTY, store.meta());
        store.begin().close(); // a new txn can start
    }

    @Test
    void indexQueriesAndDropMessages() {
        try (StoreTxn txn = store.begin()) {
            txn.putMessage(msg(1, 1, 10));
            txn.putMessage(msg(1, 2, 30));
            txn.putMessage(msg(2, 3, 10));
            txn.putVisibility(1, new VisibilityEntry(10, 1, false));
            txn.putVisibility(1, new VisibilityEntry(30, 2, true));
            txn.putVisibility(2, new VisibilityEntry(10, 3, false));
            assertEquals(List.of(new VisibilityEntry(10, 1, false)), txn.dueUpTo(1, 20, 10));
            assertEquals(new NotVisibleCounts(0, 1), txn.countNotVisible(1, 20, 100));
            assertEquals(new NotVisibleCounts(1, 0), txn.countNotVisible(1, 5, 1), "capped");
            assertEquals(2, txn.oldestMessages(1, 10).size());
            txn.dropMessages(1);
            assertTrue(txn.message(1, 1).isEmpty());
            assertTrue(txn.dueUpTo(1, Long.MAX_VALUE, 10).isEmpty());
            assertTrue(txn.message(2, 3).isPresent(), "other incarnations untouched");
            txn.commit(new PartitionMeta(1, 1, 0, 4));
        }
    }

    @Test
    void checkpointRestoresTheSameState(@TempDir Path dir) {
        try (StoreTxn txn = store.begin()) {
            txn.putQueue(new QueueRecord(1, "q", QueueAttributes.DEFAULTS, 0, 0, 1, 0));
            txn.putMessage(msg(1, 1, 10));
            txn.putVisibility(1, new VisibilityEntry(10, 1, false));
            txn.putRegistryRecord("r", new byte[]{9});
            txn.commit(new PartitionMeta(3, 2, 100, 2));
        }
        store.checkpoint(dir.resolve("cp"));
        InMemoryPartitionStore restored = InMemoryPartitionStore.openCheckpoint(dir.resolve("cp"));
        assertArrayEquals(store.stateBytes(), restored.stateBytes());
        assertEquals(new PartitionMeta(3, 2, 100, 2), restored.meta());
    }

    @Test
    void queuesAndRegistryRangesHonourPrefixAndStartAfter() {
        try (StoreTxn txn = store.begin()) {
            for (String n : List.of("a", "ab", "abc", "b")) {
                txn.putQueue(new QueueRecord(1, n, QueueAttributes.DEFAULTS, 0, 0, 0, 0));
                txn.putRegistryRecord("p/" + n, new byte[0]);
            }
            assertEquals(List.of("ab", "abc"), txn.queues("ab", "", 10).stream().map(QueueRecord::name).toList());
            assertEquals(List.of("abc"), txn.queues("a", "ab", 10).stream().map(QueueRecord::name).toList());
            assertEquals(List.of("p/ab", "p/abc"), txn.registryRecords("p/a", "p/a", 10).stream().map(e -> e.getKey()).toList());
            txn.commit(new PartitionMeta(1, 1, 0, 1));
        }
    }
}
