package io.pontoon.storage.rocksdb;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.pontoon.core.partition.AuxTable.DEDUP;
import static io.pontoon.core.partition.AuxTable.FIFO_GROUP;
import static io.pontoon.core.partition.AuxTable.GROUP_MEMBER;
import static io.pontoon.core.partition.AuxTable.OUTBOX;
import static io.pontoon.storage.rocksdb.Fixtures.commit;
import static io.pontoon.storage.rocksdb.Fixtures.message;
import static io.pontoon.storage.rocksdb.Fixtures.store;
import static io.pontoon.storage.rocksdb.Fixtures.meta;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aux tables (one {@code aux} column family, keys behind a table-id byte) and {@code messagesFrom}. */
class AuxTablesTest extends OpenStoreTest {

    /** A key or prefix from unsigned byte values. */
    private static byte[] k(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    private static byte[] v(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Keys of a range result in hex, so that failures are readable. */
    private static List<String> keys(List<AuxEntry> entries) {
        return entries.stream().map(e -> hex(e.key())).toList();
    }

    private static String value(StoreView v, AuxTable t, byte[] key) {
        return v.aux(t, key).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    private static List<Long> seqs(List<MessageRecord> ms) {
        return ms.stream().map(MessageRecord::seq).toList();
    }

    private List<String> all(AuxTable t) {
        try (StoreView v = store.view()) {
            return keys(v.auxRange(t, k(), null, Integer.MAX_VALUE));
        }
    }

    // ---- txn visibility ----

    @Test
    void readsSeeOwnUncommittedWrites() {
        commit(store, 1, t -> {
            t.putAux(DEDUP, k(1, 1), v("committed"));
            t.putAux(DEDUP, k(1, 2), v("to-delete"));
            t.putAux(DEDUP, k(1, 3), v("to-overwrite"));
        });
        store.flush(); // committed part from SST files, the txn's part from the batch
        try (StoreTxn t = store.begin(); StoreView before = store.view()) {
            t.deleteAux(DEDUP, k(1, 2));
            t.putAux(DEDUP, k(1, 3), v("overwritten"));
            t.putAux(DEDUP, k(1, 0), v("new"));
            t.putAux(DEDUP, k(1, 4), v("new"));

            assertEquals("committed", value(t, DEDUP, k(1, 1)));
            assertEquals(null, value(t, DEDUP, k(1, 2)));
            assertEquals("overwritten", value(t, DEDUP, k(1, 3)));
            assertEquals("new", value(t, DEDUP, k(1, 0)));
            assertEquals(List.of("0100", "0101", "0103", "0104"), keys(t.auxRange(DEDUP, k(1), null, 10)));
            assertEquals(List.of("0103"), keys(t.auxRange(DEDUP, k(1), k(1, 1), 1)));
            assertEquals("overwritten", new String(t.auxRange(DEDUP, k(1, 3), null, 1).get(0).value(), StandardCharsets.UTF_8));

            // nothing of it is visible outside the txn before commit
            assertEquals("to-delete", value(before, DEDUP, k(1, 2)));
            assertEquals(List.of("0101", "0102", "0103"), keys(before.auxRange(DEDUP, k(), null, 10)));
            t.commit(meta(2));
        }
        assertEquals(List.of("0100", "0101", "0103", "0104"), all(DEDUP));
    }

    @Test
    void uncommittedWritesVanishWhenTheTxnIsClosedWithoutCommit() {
        commit(store, 1, t -> t.putAux(OUTBOX, k(1), v("kept")));
        try (StoreTxn t = store.begin()) {
            t.putAux(OUTBOX, k(2), v("lost"));
            t.deleteAux(OUTBOX, k(1));
            t.dropAux(GROUP_MEMBER, k());
            assertEquals(List.of("02"), keys(t.auxRange(OUTBOX, k(), null, 10)));
        }
        try (StoreView v = store.view()) {
            assertEquals("kept", value(v, OUTBOX, k(1)));
            assertEquals(List.of("01"), keys(v.auxRange(OUTBOX, k(), null, 10)));
        }
        assertEquals(meta(1), store.meta());
    }

    // ---- auxRange ----

    @Test
    void auxRangeRespectsThePrefix() {
        commit(store, 1, t -> {
            for (byte[] key : List.of(k(1), k(1, 0), k(1, 0, 9), k(1, 1), k(1, 0xFF), k(2), k(2, 0), k(0, 0xFF))) {
                t.putAux(FIFO_GROUP, key, v(hex(key)));
            }
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of("01", "0100", "010009", "0101", "01ff"), keys(v.auxRange(FIFO_GROUP, k(1), null, 10)));
            assertEquals(List.of("0100", "010009"), keys(v.auxRange(FIFO_GROUP, k(1, 0), null, 10)));
            assertEquals(List.of("01ff"), keys(v.auxRange(FIFO_GROUP, k(1, 0xFF), null, 10)));
            assertEquals(List.of(), keys(v.auxRange(FIFO_GROUP, k(3), null, 10)));
            assertEquals(List.of("00ff", "01", "0100", "010009", "0101", "01ff", "02", "0200"),
                    keys(v.auxRange(FIFO_GROUP, k(), null, 10)));
            AuxEntry e = v.auxRange(FIFO_GROUP, k(1, 0, 9), null, 1).get(0);
            assertArrayEquals(k(1, 0, 9), e.key()); // without the table byte
            assertArrayEquals(v("010009"), e.value());
        }
    }

    @Test
    void auxRangeStartAfterIsExclusive() {
        commit(store, 1, t -> {
            for (int i = 0; i < 6; i++) {
                t.putAux(GROUP_MEMBER, k(7, i), v("x"));
            }
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of("0703", "0704", "0705"), keys(v.auxRange(GROUP_MEMBER, k(7), k(7, 2), 10)));
            // a startAfter that is not itself a key: from the next key above it
            assertEquals(List.of("0703", "0704", "0705"), keys(v.auxRange(GROUP_MEMBER, k(7), k(7, 2, 0), 10)));
            // startAfter equal to the prefix excludes only a key equal to the prefix
            assertEquals(6, v.auxRange(GROUP_MEMBER, k(7), k(7), 10).size());
            // startAfter below the prefix: from the start of the prefix; above it: nothing
            assertEquals(6, v.auxRange(GROUP_MEMBER, k(7), k(6, 0xFF), 10).size());
            assertEquals(List.of(), v.auxRange(GROUP_MEMBER, k(7), k(8), 10));
            assertEquals(List.of(), v.auxRange(GROUP_MEMBER, k(7), k(7, 5), 10));
        }
    }

    @Test
    void auxRangeStopsAtTheLimit() {
        commit(store, 1, t -> {
            for (int i = 0; i < 100; i++) {
                t.putAux(OUTBOX, k(0, i), v("x"));
            }
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of("0000", "0001", "0002"), keys(v.auxRange(OUTBOX, k(), null, 3)));
            assertEquals(List.of("0004", "0005"), keys(v.auxRange(OUTBOX, k(0), k(0, 3), 2)));
            assertEquals(List.of(), v.auxRange(OUTBOX, k(), null, 0));
            assertEquals(100, v.auxRange(OUTBOX, k(), null, Integer.MAX_VALUE).size());
        }
    }

    @Test
    void auxRangeUsesUnsignedByteOrder() {
        commit(store, 1, t -> {
            for (int b : new int[] {0xFF, 0x80, 0x7F, 0x00, 0x81, 0x01}) {
                t.putAux(DEDUP, k(5, b), v("x"));
            }
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of("0500", "0501", "057f", "0580", "0581", "05ff"), keys(v.auxRange(DEDUP, k(5), null, 10)));
            assertEquals(List.of("0580", "0581"), keys(v.auxRange(DEDUP, k(5), k(5, 0x7F), 2)));
        }
    }

    @Test
    void tablesAreIsolated() {
        commit(store, 1, t -> {
            t.putAux(FIFO_GROUP, k(1, 2), v("group"));
            t.putAux(GROUP_MEMBER, k(1, 2), v("member"));
            t.putAux(GROUP_MEMBER, k(), v("empty key"));
            t.putAux(DEDUP, k(0xFF, 0xFF), v("dedup"));
        });
        commit(store, 2, t -> t.deleteAux(FIFO_GROUP, k(1, 2)));
        try (StoreView v = store.view()) {
            assertEquals(null, value(v, FIFO_GROUP, k(1, 2)));
            assertEquals("member", value(v, GROUP_MEMBER, k(1, 2)));
            assertEquals("empty key", value(v, GROUP_MEMBER, k()));
            assertEquals(List.of(), v.auxRange(FIFO_GROUP, k(), null, 10));
            assertEquals(List.of("", "0102"), keys(v.auxRange(GROUP_MEMBER, k(), null, 10)));
            assertEquals(List.of("ffff"), keys(v.auxRange(DEDUP, k(), null, 10)));
            assertTrue(v.auxRange(AuxTable.EXPIRY, k(), null, 10).isEmpty());
        }
    }

    // ---- dropAux ----

    @Test
    void dropAuxRemovesExactlyThePrefix() {
        commit(store, 1, t -> {
            for (byte[] key : List.of(k(3), k(3, 4), k(3, 4, 0), k(3, 4, 0xFF, 0xFF), k(3, 3, 0xFF), k(3, 5), k(3, 5, 0))) {
                t.putAux(GROUP_MEMBER, key, v("x"));
                t.putAux(FIFO_GROUP, key, v("x")); // the same prefix in another table stays
            }
        });
        store.flush(); // part of the dropped range in SST files, part in the memtable
        commit(store, 2, t -> t.putAux(GROUP_MEMBER, k(3, 4, 1), v("memtable")));
        try (StoreTxn t = store.begin()) {
            t.putAux(GROUP_MEMBER, k(3, 4, 2), v("earlier in the txn: dropped too"));
            t.dropAux(GROUP_MEMBER, k(3, 4));
            t.putAux(GROUP_MEMBER, k(3, 4, 3), v("after the drop: kept"));
            t.commit(meta(3));
        }
        for (int round = 0; round < 2; round++) {
            assertEquals(List.of("03", "0303ff", "030403", "0305", "030500"), all(GROUP_MEMBER));
            assertEquals(7, all(FIFO_GROUP).size());
            reopen(); // the range tombstone is durable
        }
    }

    @Test
    void dropAuxWithEmptyPrefixRemovesTheWholeTable() {
        commit(store, 1, t -> {
            for (AuxTable table : List.of(FIFO_GROUP, GROUP_MEMBER, DEDUP)) {
                for (byte[] key : List.of(k(), k(0), k(0x80), k(0xFF, 0xFF, 0xFF))) {
                    t.putAux(table, key, v("x"));
                }
            }
        });
        commit(store, 2, t -> t.dropAux(GROUP_MEMBER, k()));
        assertEquals(List.of(), all(GROUP_MEMBER));
        assertEquals(List.of("", "00", "80", "ffffff"), all(FIFO_GROUP)); // the tables on either side stay
        assertEquals(List.of("", "00", "80", "ffffff"), all(DEDUP));
    }

    @Test
    void dropAuxOfAllFfPrefixStopsAtTheNextTable() {
        commit(store, 1, t -> {
            for (AuxTable table : List.of(FIFO_GROUP, GROUP_MEMBER)) {
                for (byte[] key : List.of(k(0xFE), k(0xFF), k(0xFF, 0), k(0xFF, 0xFF), k(0xFF, 0xFF, 0xFF))) {
                    t.putAux(table, key, v("x"));
                }
            }
        });
        commit(store, 2, t -> t.dropAux(FIFO_GROUP, k(0xFF, 0xFF)));
        assertEquals(List.of("fe", "ff", "ff00"), all(FIFO_GROUP));
        assertEquals(5, all(GROUP_MEMBER).size());
    }

    @Test
    void auxKeysPutTheTableIdFirst() {
        assertArrayEquals(k(3, 0xAB), KeyCodec.auxKey(DEDUP, k(0xAB)));
        assertArrayEquals(k(3), KeyCodec.auxKey(DEDUP, k()));
        assertArrayEquals(k(3, 0xAC), KeyCodec.auxRangeEnd(DEDUP, k(0xAB, 0xFF)));
        assertArrayEquals(k(4), KeyCodec.auxRangeEnd(DEDUP, k()));
        assertArrayEquals(k(4), KeyCodec.auxRangeEnd(DEDUP, k(0xFF, 0xFF)));
        assertArrayEquals(k(0xAB), KeyCodec.auxUserKey(k(3, 0xAB)));
    }

    // ---- durability ----

    @Test
    void auxSurvivesCloseAndReopen() {
        commit(store, 1, t -> {
            t.putAux(OUTBOX, k(0, 1), v("one"));
            t.putAux(OUTBOX, k(0, 2), v("two"));
        });
        reopen();
        commit(store, 2, t -> t.deleteAux(OUTBOX, k(0, 1)));
        reopen();
        try (StoreView v = store.view()) {
            assertEquals(null, value(v, OUTBOX, k(0, 1)));
            assertEquals("two", value(v, OUTBOX, k(0, 2)));
        }
        assertEquals(meta(2), store.meta());
    }

    @Test
    void auxSurvivesCheckpointAndRestore() {
        commit(store, 1, t -> {
            for (int i = 0; i < 500; i++) {
                t.putAux(DEDUP, k(1, i >> 8, i), v("d" + i));
            }
        });
        store.flush();
        commit(store, 2, t -> t.putAux(AuxTable.INBOX, k(9), v("memtable only")));
        Path cp = tmp.resolve("cp");
        store.checkpoint(cp);
        commit(store, 3, t -> { // the live store moves on after the checkpoint
            t.dropAux(DEDUP, k());
            t.deleteAux(AuxTable.INBOX, k(9));
        });
        store.close();

        store = RocksPartitionStore.restoreFrom(cp, tmp.resolve("db"), resources);
        assertEquals(meta(2), store.meta());
        assertEquals(500, all(DEDUP).size());
        try (StoreView v = store.view()) {
            assertEquals("memtable only", value(v, AuxTable.INBOX, k(9)));
            assertEquals("d257", value(v, DEDUP, k(1, 1, 257)));
        }
    }

    @Test
    void opensAStoreCreatedBeforeTheAuxColumnFamily() throws Exception {
        Path old = tmp.resolve("old");
        List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
        for (String name : List.of("default", RocksPartitionStore.CF_QUEUES, RocksPartitionStore.CF_MESSAGES,
                RocksPartitionStore.CF_VISIBILITY, RocksPartitionStore.CF_REGISTRY)) {
            cfs.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(o, old.toString(), cfs, handles)) {
            db.put(handles.get(4), v("r"), v("from before"));
            handles.forEach(ColumnFamilyHandle::close);
        }

        RocksPartitionStore upgraded = RocksPartitionStore.open(old, resources);
        try {
            commit(upgraded, 1, t -> t.putAux(OUTBOX, k(1), v("new")));
        } finally {
            upgraded.close();
        }
        upgraded = RocksPartitionStore.open(old, resources);
        try (StoreView v = upgraded.view()) {
            assertEquals("from before", new String(v.registryRecord("r").orElseThrow(), StandardCharsets.UTF_8));
            assertEquals("new", value(v, OUTBOX, k(1)));
        } finally {
            upgraded.close();
        }
    }

    // ---- messagesFrom ----

    @Test
    void messagesFromReturnsSeqAtOrAfterFromSeq() {
        commit(store, 1, t -> {
            for (long seq : new long[] {1, 3, 70, 255, 256, 1_000_000}) {
                store(t, message(8, seq, 0));
            }
            store(t, message(7, 500, 0)); // neighbouring queues stay out
            store(t, message(9, 0, 0));
            store(t, message(Long.MAX_VALUE, 5, 0));
        });
        try (StoreView v = store.view()) {
            assertEquals(List.of(70L, 255L, 256L, 1_000_000L), seqs(v.messagesFrom(8, 70, 10)));
            assertEquals(List.of(255L, 256L, 1_000_000L), seqs(v.messagesFrom(8, 71, 10)));
            assertEquals(List.of(255L, 256L), seqs(v.messagesFrom(8, 71, 2)));
            assertEquals(List.of(), v.messagesFrom(8, 1_000_001, 10));
            assertEquals(List.of(), v.messagesFrom(8, 0, 0));
            assertEquals(List.of(1L, 3L), seqs(v.messagesFrom(8, Long.MIN_VALUE, 2)));
            assertEquals(List.of(1L, 3L), seqs(v.oldestMessages(8, 2)));
            assertEquals(List.of(5L), seqs(v.messagesFrom(Long.MAX_VALUE, 5, 10)));
            assertEquals(List.of(), v.messagesFrom(Long.MAX_VALUE, Long.MAX_VALUE, 10));
        }
        try (StoreTxn t = store.begin()) { // merged with the txn's own writes
            store(t, message(8, 100, 0));
            t.deleteMessage(8, 255);
            assertEquals(List.of(100L, 256L, 1_000_000L), seqs(t.messagesFrom(8, 71, 10)));
        }
    }
}
