package io.pontoon.storage.rocksdb;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.VisibilityEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pontoon.storage.rocksdb.Fixtures.commit;
import static io.pontoon.storage.rocksdb.Fixtures.message;
import static io.pontoon.storage.rocksdb.Fixtures.store;
import static io.pontoon.storage.rocksdb.Fixtures.meta;
import static io.pontoon.storage.rocksdb.Fixtures.queue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocksPartitionStoreTest extends OpenStoreTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> seqs(List<MessageRecord> ms) {
        return ms.stream().map(MessageRecord::seq).toList();
    }

    private static List<String> names(List<QueueRecord> qs) {
        return qs.stream().map(QueueRecord::name).toList();
    }

    private static List<String> keys(List<Map.Entry<String, byte[]>> es) {
        return es.stream().map(Map.Entry::getKey).toList();
    }

    @Test
    void emptyStoreHasEmptyMeta() {
        assertEquals(PartitionMeta.EMPTY, store.meta());
        try (StoreView v = store.view()) {
            assertTrue(v.queue("q").isEmpty());
            assertTrue(v.queues("", "", 10).isEmpty());
            assertTrue(v.dueUpTo(1, Long.MAX_VALUE, 10).isEmpty());
            assertEquals(new NotVisibleCounts(0, 0), v.countNotVisible(1, 0, 10));
        }
    }

    @Test
    void txnReadsSeeOwnWritesMergedWithCommittedState() {
        commit(store, 1, t -> {
            t.putQueue(queue(10, "alpha"));
            t.putQueue(queue(11, "beta"));
            store(t, message(10, 1, 100));
            store(t, message(10, 2, 100));
            t.putVisibility(10, new VisibilityEntry(100, 1, false));
            t.putVisibility(10, new VisibilityEntry(100, 2, false));
            t.putRegistryRecord("r/1", b("one"));
            t.putRegistryRecord("r/2", b("two"));
        });
        try (StoreTxn t = store.begin()) {
            t.putQueue(queue(12, "gamma"));
            t.deleteQueue("alpha");
            store(t, message(10, 3, 50));
            t.deleteMessage(10, 1);
            t.putVisibility(10, new VisibilityEntry(50, 3, false));
            t.deleteVisibility(10, new VisibilityEntry(100, 1, false));
            t.deleteVisibility(10, new VisibilityEntry(100, 2, false));
            t.putVisibility(10, new VisibilityEntry(200, 2, true));
            t.putRegistryRecord("r/3", b("three"));
            t.deleteRegistryRecord("r/1");

            assertTrue(t.queue("alpha").isEmpty());
            assertEquals(12, t.queue("gamma").orElseThrow().queueId());
            assertEquals(List.of("beta", "gamma"), names(t.queues("", "", 10)));
            assertTrue(t.message(10, 1).isEmpty());
            assertEquals("m-10-3", t.message(10, 3).orElseThrow().messageId());
            assertEquals(List.of(2L, 3L), seqs(t.oldestMessages(10, 10)));
            assertEquals(List.of(new VisibilityEntry(50, 3, false), new VisibilityEntry(200, 2, true)),
                    t.dueUpTo(10, Long.MAX_VALUE, 10));
            assertEquals(new NotVisibleCounts(0, 1), t.countNotVisible(10, 100, 10));
            assertTrue(t.registryRecord("r/1").isEmpty());
            assertEquals(List.of("r/2", "r/3"), keys(t.registryRecords("r/", "", 10)));

            // other readers do not see the uncommitted writes
            try (StoreView v = store.view()) {
                assertTrue(v.queue("alpha").isPresent());
                assertTrue(v.queue("gamma").isEmpty());
            }
            t.commit(meta(2));
        }
        try (StoreView v = store.view()) {
            assertEquals(List.of("beta", "gamma"), names(v.queues("", "", 10)));
            assertEquals(List.of(2L, 3L), seqs(v.oldestMessages(10, 10)));
        }
    }

    @Test
    void closeWithoutCommitDiscards() {
        try (StoreTxn t = store.begin()) {
            t.putQueue(queue(1, "q"));
            t.putRegistryRecord("k", b("v"));
        }
        assertEquals(PartitionMeta.EMPTY, store.meta());
        try (StoreView v = store.view()) {
            assertTrue(v.queue("q").isEmpty());
            assertTrue(v.registryRecord("k").isEmpty());
        }
        reopen();
        assertEquals(PartitionMeta.EMPTY, store.meta());
    }

    @Test
    void oneTxnAtATimeAndCommittedTxnIsSpent() {
        StoreTxn t = store.begin();
        assertThrows(IllegalStateException.class, store::begin);
        t.putQueue(queue(1, "q"));
        t.commit(meta(1));
        assertThrows(IllegalStateException.class, () -> t.putQueue(queue(2, "r")));
        assertThrows(IllegalStateException.class, () -> t.commit(meta(2)));
        t.close();
        t.close(); // idempotent
        try (StoreTxn t2 = store.begin()) {
            assertTrue(t2.queue("q").isPresent());
        }
    }

    @Test
    void commitIsAtomicWithMeta() {
        PartitionMeta m = new PartitionMeta(42, 7, 123_456, 99);
        try (StoreTxn t = store.begin()) {
            t.putQueue(queue(1, "q"));
            assertEquals(PartitionMeta.EMPTY, store.meta());
            t.commit(m);
        }
        assertEquals(m, store.meta());
        reopen();
        assertEquals(m, store.meta());
        try (StoreView v = store.view()) {
            assertTrue(v.queue("q").isPresent());
        }
    }

    @Test
    void reopenRestoresMetaAndData() {
        commit(store, 1, t -> {
            t.putQueue(queue(1, "q"));
            store(t, message(1, 5, 500));
            t.putVisibility(1, new VisibilityEntry(500, 5, false));
            t.putRegistryRecord("partition/7", b("x"));
        });
        commit(store, 2, t -> store(t, message(1, 6, 600)));
        reopen();
        assertEquals(meta(2), store.meta());
        try (StoreView v = store.view()) {
            assertEquals(queue(1, "q"), v.queue("q").orElseThrow());
            MessageRecord m = v.message(1, 5).orElseThrow();
            assertEquals("m-1-5", m.messageId());
            assertArrayEquals(b("body-5"), v.payload(1, 5).orElseThrow().body());
            assertEquals(List.of(5L, 6L), seqs(v.oldestMessages(1, 10)));
            assertEquals(List.of(new VisibilityEntry(500, 5, false)), v.dueUpTo(1, 1000, 10));
            assertArrayEquals(b("x"), v.registryRecord("partition/7").orElseThrow());
        }
    }

    @Test
    void crashKeepsExactlyTheFlushedPrefix() {
        commit(store, 1, t -> t.putQueue(queue(1, "flushed")));
        store.flush();
        commit(store, 2, t -> {
            t.putQueue(queue(2, "unflushed"));
            store(t, message(1, 1, 1));
        });
        assertEquals(meta(2), store.meta());
        store.closeDiscardingUnflushed(); // like a crash: WAL is off, memtables are lost
        store = RocksPartitionStore.open(tmp.resolve("db"), resources);
        assertEquals(meta(1), store.meta(), "meta must describe exactly the durable state");
        try (StoreView v = store.view()) {
            assertTrue(v.queue("flushed").isPresent());
            assertTrue(v.queue("unflushed").isEmpty());
            assertTrue(v.message(1, 1).isEmpty());
        }
    }

    @Test
    void crashWithoutAnyFlushReopensEmpty() {
        commit(store, 1, t -> t.putQueue(queue(1, "q")));
        store.closeDiscardingUnflushed();
        store = RocksPartitionStore.open(tmp.resolve("db"), resources);
        assertEquals(PartitionMeta.EMPTY, store.meta());
    }

    @Test
    void dueUpToOrderingAndBounds() {
        commit(store, 1, t -> {
            t.putVisibility(5, new VisibilityEntry(300, 1, false));
            t.putVisibility(5, new VisibilityEntry(100, 4, true));
            t.putVisibility(5, new VisibilityEntry(100, 2, false));
            t.putVisibility(5, new VisibilityEntry(200, 3, false));
            t.putVisibility(5, new VisibilityEntry(0, 9, false));
            // neighbours that must never leak in
            t.putVisibility(4, new VisibilityEntry(50, 100, false));
            t.putVisibility(6, new VisibilityEntry(50, 101, false));
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of(new VisibilityEntry(0, 9, false), new VisibilityEntry(100, 2, false),
                    new VisibilityEntry(100, 4, true), new VisibilityEntry(200, 3, false),
                    new VisibilityEntry(300, 1, false)), v.dueUpTo(5, Long.MAX_VALUE, 100));
            assertEquals(List.of(new VisibilityEntry(0, 9, false), new VisibilityEntry(100, 2, false),
                    new VisibilityEntry(100, 4, true)), v.dueUpTo(5, 100, 100), "bound is inclusive");
            assertEquals(List.of(new VisibilityEntry(0, 9, false), new VisibilityEntry(100, 2, false)),
                    v.dueUpTo(5, 1000, 2), "limit");
            assertEquals(List.of(new VisibilityEntry(0, 9, false)), v.dueUpTo(5, 99, 10));
            assertEquals(List.of(), v.dueUpTo(5, -1, 10));
            assertEquals(List.of(), v.dueUpTo(5, 1000, 0));
            assertEquals(List.of(), v.dueUpTo(7, 1000, 10));
            assertEquals(List.of(new VisibilityEntry(50, 101, false)), v.dueUpTo(6, Long.MAX_VALUE, 10));
        }
    }

    @Test
    void countNotVisibleSplitsDelayedAndInFlightAndStopsAtCap() {
        commit(store, 1, t -> {
            t.putVisibility(3, new VisibilityEntry(100, 1, false)); // not counted at now=100 (due)
            t.putVisibility(3, new VisibilityEntry(101, 2, false));
            t.putVisibility(3, new VisibilityEntry(150, 3, true));
            t.putVisibility(3, new VisibilityEntry(200, 4, true));
            t.putVisibility(3, new VisibilityEntry(300, 5, false));
            t.putVisibility(4, new VisibilityEntry(500, 6, true));
        });
        try (StoreView v = store.view()) {
            assertEquals(new NotVisibleCounts(2, 2), v.countNotVisible(3, 100, 1000));
            assertEquals(new NotVisibleCounts(3, 2), v.countNotVisible(3, 99, 1000));
            assertEquals(new NotVisibleCounts(0, 0), v.countNotVisible(3, 300, 1000));
            assertEquals(new NotVisibleCounts(0, 0), v.countNotVisible(3, Long.MAX_VALUE, 1000));
            NotVisibleCounts capped = v.countNotVisible(3, 0, 3);
            assertEquals(3, capped.delayed() + capped.inFlight());
            assertEquals(new NotVisibleCounts(2, 1), capped); // ascending: 100/d, 101/d, 150/r
            assertEquals(new NotVisibleCounts(0, 0), v.countNotVisible(3, 0, 0));
            assertEquals(new NotVisibleCounts(0, 1), v.countNotVisible(4, 0, 10));
        }
    }

    @Test
    void oldestMessagesAscendingBySeqPerQueue() {
        commit(store, 1, t -> {
            for (long seq : new long[] {70, 3, 1_000_000, 256, 255, 1}) {
                store(t, message(8, seq, 0));
            }
            store(t, message(7, 2, 0));
            store(t, message(9, 0, 0));
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of(1L, 3L, 70L, 255L, 256L, 1_000_000L), seqs(v.oldestMessages(8, 10)));
            assertEquals(List.of(1L, 3L), seqs(v.oldestMessages(8, 2)));
            assertEquals(List.of(), v.oldestMessages(8, 0));
            assertEquals(List.of(2L), seqs(v.oldestMessages(7, 10)));
        }
    }

    /**
     * A payload is put once and deleted once, so its delete is a SingleDelete that a flush drops together with the
     * put: a message consumed before a flush leaves no payload file at all (a plain Delete would leave its tombstone).
     */
    @Test
    void aPayloadConsumedBeforeAFlushNeverReachesAFile() {
        commit(store, 1, t -> {
            for (long seq = 1; seq <= 100; seq++) {
                store(t, message(8, seq, 0));
            }
        });
        commit(store, 2, t -> {
            for (long seq = 1; seq <= 100; seq++) {
                t.deleteMessage(8, seq);
            }
        });
        store.flush();
        assertEquals(0, store.payloadFileBytes(), "no payload, and no tombstone, was written to an SST file");

        commit(store, 3, t -> store(t, message(8, 101, 0)));
        store.flush();
        assertTrue(store.payloadFileBytes() > 0, "a live payload is flushed to a file");
        commit(store, 4, t -> t.deleteMessage(8, 101));
        try (StoreView v = store.view()) {
            assertTrue(v.payload(8, 101).isEmpty(), "a single-deleted payload whose put is already in a file is gone");
        }
    }

    @Test
    void dropMessagesRemovesExactlyOneIncarnation() {
        // incarnations 100 (dropped), 99 and 101 (adjacent key ranges), 356 (differs from 100 only in a higher byte)
        long[] queues = {99, 100, 101, 356};
        commit(store, 1, t -> {
            for (long q : queues) {
                t.putQueue(queue(q, "q" + q));
                for (long s = 1; s <= 50; s++) {
                    store(t, message(q, s, 1000 + s));
                    t.putVisibility(q, new VisibilityEntry(1000 + s, s, s % 2 == 0));
                }
            }
            t.putRegistryRecord("keep", b("1"));
        });
        store.flush(); // part of the dropped incarnation in SST files, part in the memtable
        try (StoreTxn t = store.begin()) {
            store(t, message(100, 51, 2000)); // written earlier in the same txn: dropped too
            t.putVisibility(100, new VisibilityEntry(2000, 51, false));
            t.putQueue(queue(200, "q100"));     // PurgeQueue: new incarnation first
            t.dropMessages(100);
            store(t, message(200, 52, 3000)); // new incarnation, after the drop: kept
            t.putVisibility(200, new VisibilityEntry(3000, 52, false));
            store(t, message(101, 51, 2000));
            t.commit(meta(2));
        }
        for (int round = 0; round < 2; round++) {
            try (StoreView v = store.view()) {
                assertTrue(v.oldestMessages(100, 100).isEmpty());
                assertTrue(v.dueUpTo(100, Long.MAX_VALUE, 100).isEmpty());
                assertEquals(new NotVisibleCounts(0, 0), v.countNotVisible(100, 0, 100));
                assertTrue(v.message(100, 1).isEmpty());
                assertTrue(v.message(100, 51).isEmpty());
                assertEquals(50, v.oldestMessages(99, 100).size());
                assertEquals(50, v.dueUpTo(99, Long.MAX_VALUE, 100).size());
                assertEquals(51, v.oldestMessages(101, 100).size());
                assertEquals(50, v.dueUpTo(101, Long.MAX_VALUE, 100).size());
                assertEquals(50, v.oldestMessages(356, 100).size());
                assertEquals(50, v.dueUpTo(356, Long.MAX_VALUE, 100).size());
                assertEquals(List.of(52L), seqs(v.oldestMessages(200, 100)));
                assertEquals(List.of(new VisibilityEntry(3000, 52, false)), v.dueUpTo(200, Long.MAX_VALUE, 100));
                assertEquals(200, v.queue("q100").orElseThrow().queueId());
                assertTrue(v.registryRecord("keep").isPresent());
            }
            reopen(); // the range tombstones are durable too
        }
    }

    @Test
    void dropMessagesOfExtremeQueueIds() {
        commit(store, 1, t -> {
            for (long q : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1, -1, 0}) {
                store(t, message(q, 1, 10));
                t.putVisibility(q, new VisibilityEntry(10, 1, false));
            }
        });
        commit(store, 2, t -> {
            t.dropMessages(Long.MAX_VALUE);
            t.dropMessages(-1);
        });
        commit(store, 3, t -> { // ops keep their order around a drop: a later put survives it
            store(t, message(0, 2, 10));
            t.dropMessages(0);
            store(t, message(0, 3, 10));
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of(3L), seqs(v.oldestMessages(0, 10)));
            assertTrue(v.oldestMessages(Long.MAX_VALUE, 10).isEmpty());
            assertTrue(v.dueUpTo(-1, Long.MAX_VALUE, 10).isEmpty());
            assertEquals(1, v.oldestMessages(Long.MAX_VALUE - 1, 10).size());
            assertEquals(0, v.dueUpTo(0, Long.MAX_VALUE, 10).size());
        }
    }

    @Test
    void registryScansWithPrefixAndStartAfter() {
        commit(store, 1, t -> {
            for (String k : List.of("a", "b/1", "b/2", "b/3", "b/30", "b0", "c", "b/é", "b/\uD83D\uDE00")) {
                t.putRegistryRecord(k, b("v:" + k));
            }
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of("b/1", "b/2", "b/3", "b/30", "b/é", "b/\uD83D\uDE00"),
                    keys(v.registryRecords("b/", "", 100)));
            assertEquals(List.of("b/3", "b/30"), keys(v.registryRecords("b/", "b/2", 2)));
            assertEquals(List.of("b/30", "b/é", "b/\uD83D\uDE00"), keys(v.registryRecords("b/", "b/3", 100)));
            assertEquals(List.of("b/1", "b/2"), keys(v.registryRecords("b/", "a", 2)), "startAfter before prefix");
            assertEquals(List.of(), keys(v.registryRecords("b/", "b0", 100)), "startAfter beyond prefix");
            assertEquals(List.of("b/2", "b/3"), keys(v.registryRecords("b/", "b/10", 2)), "startAfter not a key");
            assertEquals(List.of("a", "b/1"), keys(v.registryRecords("", "", 2)));
            assertEquals(List.of("c"), keys(v.registryRecords("", "b0", 10)));
            assertEquals(List.of(), keys(v.registryRecords("zz", "", 10)));
            assertEquals("v:b/é", new String(v.registryRecords("b/é", "", 1).get(0).getValue(), StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), v.registryRecord("b"));
        }
        commit(store, 2, t -> t.deleteRegistryRecord("b/2"));
        try (StoreView v = store.view()) {
            assertEquals(List.of("b/1", "b/3"), keys(v.registryRecords("b/", "", 2)));
        }
    }

    @Test
    void queueScansWithPrefixAndStartAfter() {
        commit(store, 1, t -> {
            long id = 1;
            for (String n : List.of("orders", "orders-dlq", "orders.fifo", "payments", "order")) {
                t.putQueue(queue(id++, n));
            }
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of("order", "orders", "orders-dlq", "orders.fifo", "payments"), names(v.queues("", "", 100)));
            assertEquals(List.of("orders", "orders-dlq", "orders.fifo"), names(v.queues("orders", "", 100)));
            assertEquals(List.of("orders-dlq"), names(v.queues("orders", "orders", 1)));
            assertEquals(List.of("payments"), names(v.queues("", "orders.fifo", 100)));
            assertEquals(List.of(), names(v.queues("x", "", 100)));
        }
    }

    @Test
    void viewIsIsolatedFromLaterCommits() {
        commit(store, 1, t -> {
            t.putQueue(queue(1, "q"));
            store(t, message(1, 1, 10));
            t.putVisibility(1, new VisibilityEntry(10, 1, false));
        });
        try (StoreView before = store.view()) {
            commit(store, 2, t -> {
                t.deleteQueue("q");
                t.putQueue(queue(2, "r"));
                store(t, message(1, 2, 20));
                t.putVisibility(1, new VisibilityEntry(20, 2, false));
                t.dropMessages(1);
                t.putRegistryRecord("k", b("v"));
            });
            store.flush(); // even after a flush and compaction-relevant range deletes
            assertTrue(before.queue("q").isPresent());
            assertTrue(before.queue("r").isEmpty());
            assertEquals(List.of("q"), names(before.queues("", "", 10)));
            assertEquals(List.of(1L), seqs(before.oldestMessages(1, 10)));
            assertEquals(1, before.dueUpTo(1, 100, 10).size());
            assertTrue(before.registryRecord("k").isEmpty());
            try (StoreView after = store.view()) {
                assertTrue(after.queue("q").isEmpty());
                assertTrue(after.oldestMessages(1, 10).isEmpty());
                assertTrue(after.registryRecord("k").isPresent());
            }
        }
    }

    @Test
    void closedViewAndStoreRefuseUse() {
        StoreView v = store.view();
        v.close();
        v.close();
        assertThrows(IllegalStateException.class, () -> v.queue("q"));
        StoreView leftOpen = store.view();
        StoreTxn txnLeftOpen = store.begin();
        store.close(); // releases the open view's snapshot and the txn
        assertThrows(IllegalStateException.class, () -> leftOpen.queue("q"));
        assertThrows(IllegalStateException.class, () -> txnLeftOpen.queue("q"));
        assertThrows(IllegalStateException.class, store::view);
        assertThrows(IllegalStateException.class, store::flush);
        leftOpen.close();
        txnLeftOpen.close();
        store.close(); // idempotent
        store = RocksPartitionStore.open(tmp.resolve("db"), resources);
    }

    @Test
    void optionsFileShowsTheDurabilityAndScanSettings() throws Exception {
        store.flush();
        Path options;
        try (var files = Files.list(tmp.resolve("db"))) {
            options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo).orElseThrow();
        }
        String text = Files.readString(options);
        assertTrue(text.contains("atomic_flush=true"), "atomic_flush");
        for (String cf : List.of("messages", "visibility")) {
            String section = text.substring(text.indexOf("[CFOptions \"" + cf + "\"]"));
            section = section.substring(0, section.indexOf("[TableOptions"));
            assertTrue(section.contains("prefix_extractor=rocksdb.FixedPrefix.8"), cf + " prefix extractor");
            assertTrue(section.contains("CompactOnDeletionCollector"), cf + " deletion-triggered compaction");
        }
    }

    @Test
    void resourcesRefuseToCloseUnderOpenStores() {
        assertEquals(1, resources.openStores());
        IllegalStateException e = assertThrows(IllegalStateException.class, resources::close);
        assertTrue(e.getMessage().contains("1 store(s) still open"), e.getMessage());
    }

    @Test
    void checkpointAndRestoreYieldIdenticalState() throws Exception {
        commit(store, 1, t -> {
            t.putQueue(queue(1, "q"));
            for (long s = 1; s <= 1000; s++) {
                store(t, message(1, s, s));
                t.putVisibility(1, new VisibilityEntry(s, s, s % 3 == 0));
            }
            t.putRegistryRecord("r", b("1"));
        });
        store.flush();
        commit(store, 2, t -> store(t, message(1, 1001, 5000))); // only in the memtable
        Path cp = tmp.resolve("snapshots/2");
        store.checkpoint(cp);
        assertThrows(IllegalArgumentException.class, () -> store.checkpoint(cp));
        Snapshot expected = Snapshot.of(store);

        // the live store moves on after the checkpoint
        commit(store, 3, t -> {
            t.dropMessages(1);
            t.deleteQueue("q");
            t.putRegistryRecord("r", b("after"));
        });
        store.close();

        store = RocksPartitionStore.restoreFrom(cp, tmp.resolve("db"), resources);
        assertEquals(meta(2), store.meta());
        assertEquals(expected, Snapshot.of(store));
        assertFalse(Files.exists(tmp.resolve("db.restore-tmp")));
        assertFalse(Files.exists(tmp.resolve("db.restore-ready")));
        assertFalse(Files.exists(tmp.resolve("db.restore-old")));
        // the restored store is independent of the checkpoint directory
        commit(store, 3, t -> t.putRegistryRecord("r", b("again")));
        store.close();
        RocksPartitionStore.deleteRecursively(cp);
        store = RocksPartitionStore.open(tmp.resolve("db"), resources);
        assertEquals(meta(3), store.meta());
        try (StoreView v = store.view()) {
            assertEquals(1001, v.oldestMessages(1, 5000).size());
        }
    }

    @Test
    void checkpointCanBeOpenedAsAStoreAndRestoreIntoMissingDir() {
        commit(store, 1, t -> t.putQueue(queue(1, "q")));
        Path cp = tmp.resolve("cp");
        store.checkpoint(cp);
        RocksPartitionStore fresh = RocksPartitionStore.restoreFrom(cp, tmp.resolve("other/db"), resources);
        try {
            assertEquals(meta(1), fresh.meta());
            assertEquals(Snapshot.of(store), Snapshot.of(fresh));
        } finally {
            fresh.close();
        }
        assertThrows(IllegalArgumentException.class,
                () -> RocksPartitionStore.restoreFrom(tmp.resolve("nothing"), tmp.resolve("x"), resources));
    }

    @Test
    void openCompletesARestoreInterruptedAfterTheCopy() throws Exception {
        commit(store, 1, t -> t.putQueue(queue(1, "old")));
        store.close();
        // simulate a restore that crashed after the copy was complete and the live dir was moved aside
        Path other = tmp.resolve("other");
        try (RocksPartitionStore s = RocksPartitionStore.open(other, resources)) {
            commit(s, 9, t -> t.putQueue(queue(2, "new")));
            s.checkpoint(tmp.resolve("db.restore-ready"));
        }
        Files.createDirectories(tmp.resolve("db.restore-tmp/junk"));
        store = RocksPartitionStore.open(tmp.resolve("db"), resources);
        assertEquals(meta(9), store.meta());
        try (StoreView v = store.view()) {
            assertTrue(v.queue("new").isPresent());
            assertTrue(v.queue("old").isEmpty());
        }
        assertFalse(Files.exists(tmp.resolve("db.restore-tmp")));
        assertFalse(Files.exists(tmp.resolve("db.restore-ready")));
        assertFalse(Files.exists(tmp.resolve("db.restore-old")));
    }

    @Test
    void viewsAreConsistentWhileApplyRuns() throws Exception {
        int txns = 300;
        List<Throwable> failures = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                long last = 0;
                while (last < txns) {
                    try (StoreView v = store.view()) {
                        long count = v.registryRecord("count")
                                .map(bs -> Long.parseLong(new String(bs, StandardCharsets.UTF_8))).orElse(0L);
                        assertEquals(count, v.oldestMessages(1, txns + 10).size());
                        assertEquals(count, v.dueUpTo(1, Long.MAX_VALUE, txns + 10).size());
                        assertTrue(count >= last);
                        last = count;
                    }
                }
            } catch (Throwable e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        });
        reader.start();
        for (long i = 1; i <= txns; i++) {
            long n = i;
            commit(store, n, t -> {
                store(t, message(1, n, n));
                t.putVisibility(1, new VisibilityEntry(n, n, false));
                t.putRegistryRecord("count", b(Long.toString(n)));
            });
            if (n % 100 == 0) {
                store.flush();
            }
        }
        reader.join(30_000);
        assertFalse(reader.isAlive());
        assertEquals(List.of(), failures);
    }

    /** Everything a store holds, read through the port, for equality checks. */
    record Snapshot(PartitionMeta meta, List<QueueRecord> queues, Map<Long, List<String>> messages,
                    Map<Long, List<VisibilityEntry>> index, List<String> registry) {
        static Snapshot of(RocksPartitionStore s) {
            try (StoreView v = s.view()) {
                List<QueueRecord> qs = v.queues("", "", Integer.MAX_VALUE);
                Map<Long, List<String>> ms = new java.util.TreeMap<>();
                Map<Long, List<VisibilityEntry>> idx = new java.util.TreeMap<>();
                for (long q = 0; q <= 3; q++) {
                    ms.put(q, v.oldestMessages(q, Integer.MAX_VALUE).stream()
                            .map(m -> m.messageId() + "/" + v.payload(m.queueId(), m.seq()).orElseThrow().bodyText()).toList());
                    idx.put(q, v.dueUpTo(q, Long.MAX_VALUE, Integer.MAX_VALUE));
                }
                List<String> reg = v.registryRecords("", "", Integer.MAX_VALUE).stream()
                        .map(e -> e.getKey() + "=" + new String(e.getValue(), StandardCharsets.UTF_8)).toList();
                return new Snapshot(s.meta(), qs, ms, idx, reg);
            }
        }
    }

    /**
     * Scans of the visibility index start past the consumed head (a floor the store keeps in memory), and that
     * never changes what they return: an entry put below the floor is seen, and a scan of a txn that did not
     * commit raises nothing.
     */
    @Test
    void visibilityScansSkipTheConsumedHeadYetSeeEverythingLive() {
        long q = 7;
        commit(store, 1, t -> {
            for (long seq = 1; seq <= 100; seq++) {
                t.putVisibility(q, new VisibilityEntry(seq, seq, false));
            }
        });
        long index = 2;
        for (int receive = 0; receive < 3; receive++) {
            int from = receive * 10 + 1;
            commit(store, index++, t -> {
                List<VisibilityEntry> due = t.dueUpTo(q, Long.MAX_VALUE, 10);
                assertEquals(from, due.get(0).seq(), "the head, after the consumed ones");
                due.forEach(e -> t.deleteVisibility(q, e));
            });
        }
        commit(store, index++, t -> t.putVisibility(q, new VisibilityEntry(0, 500, false)));
        try (StoreTxn t = store.begin()) {
            assertEquals(500, t.dueUpTo(q, Long.MAX_VALUE, 1).get(0).seq(), "an entry put below the floor comes first");
            t.dueUpTo(q, Long.MAX_VALUE, 100).forEach(e -> t.deleteVisibility(q, e));
            assertTrue(t.dueUpTo(q, Long.MAX_VALUE, 100).isEmpty());
            // closed without commit: its scans found nothing live, which is not true of the committed state
        }
        try (StoreTxn t = store.begin()) {
            List<VisibilityEntry> due = t.dueUpTo(q, Long.MAX_VALUE, 100);
            assertEquals(71, due.size(), "70 left of the first 100, and the one below the floor");
            assertEquals(500, due.get(0).seq());
            assertEquals(31, due.get(1).seq());
        }
        try (StoreView v = store.view()) {
            assertEquals(71, v.dueUpTo(q, Long.MAX_VALUE, 100).size(), "views read the same");
        }
    }
}
