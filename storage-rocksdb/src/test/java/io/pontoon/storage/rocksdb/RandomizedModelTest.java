package io.pontoon.storage.rocksdb;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.VisibilityEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static io.pontoon.storage.rocksdb.Fixtures.message;
import static io.pontoon.storage.rocksdb.Fixtures.store;
import static io.pontoon.storage.rocksdb.Fixtures.meta;
import static io.pontoon.storage.rocksdb.Fixtures.queue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random txns (commits, aborts, drops, flushes, reopens) against the store and a TreeMap model; every query of
 * the port is compared, both inside txns (merged batch + DB reads) and through views of the committed state.
 */
class RandomizedModelTest {
    @TempDir
    Path tmp;

    /** The whole state as sorted maps; keys of messages/visibility as "q/seq" tuples in List<Long> form. */
    static final class Model {
        final TreeMap<String, QueueRecord> queues = new TreeMap<>();
        final TreeMap<List<Long>, String> messages = new TreeMap<>(RandomizedModelTest::compareTuples);
        final TreeMap<List<Long>, Boolean> visibility = new TreeMap<>(RandomizedModelTest::compareTuples);
        final TreeMap<String, String> registry = new TreeMap<>();
        /** Per aux table, in unsigned byte order of the keys. */
        final EnumMap<AuxTable, TreeMap<byte[], String>> aux = new EnumMap<>(AuxTable.class);

        Model() {
            for (AuxTable t : AUX_TABLES) {
                aux.put(t, new TreeMap<>(Arrays::compareUnsigned));
            }
        }

        Model copy() {
            Model m = new Model();
            aux.forEach((t, entries) -> m.aux.get(t).putAll(entries));
            m.queues.putAll(queues);
            m.messages.putAll(messages);
            m.visibility.putAll(visibility);
            m.registry.putAll(registry);
            return m;
        }
    }

    static int compareTuples(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Long.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static final String[] NAMES = {"a", "ab", "abc", "b", "b-1", "b.fifo", "c"};
    static final String[] REG = {"p/1", "p/10", "p/2", "q", "q/x", "r"};
    /** Adjacent table ids, so that a range leaking into the next table shows. */
    static final List<AuxTable> AUX_TABLES = List.of(AuxTable.FIFO_GROUP, AuxTable.GROUP_MEMBER, AuxTable.DEDUP);
    /** Aux key bytes around the signed/unsigned boundary and the extremes. */
    static final int[] AUX_BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFF};

    /** A random aux key (or prefix) of 0 to {@code maxLength} bytes. */
    static byte[] auxKey(Random r, int maxLength) {
        byte[] k = new byte[r.nextInt(maxLength + 1)];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) AUX_BYTES[r.nextInt(AUX_BYTES.length)];
        }
        return k;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void storeMatchesModel(long seed) {
        Random r = new Random(seed);
        try (RocksResources res = new RocksResources(Fixtures.SMALL)) {
            RocksPartitionStore store = RocksPartitionStore.open(tmp.resolve("db"), res);
            try {
                Model committed = new Model();
                long index = 0;
                for (int round = 0; round < 250; round++) {
                    Model m = committed.copy();
                    Set<Long> dropped = new HashSet<>();
                    Set<AuxTable> auxDropped = EnumSet.noneOf(AuxTable.class);
                    try (StoreTxn t = store.begin()) {
                        int ops = 1 + r.nextInt(30);
                        for (int i = 0; i < ops; i++) {
                            long q = 1 + r.nextInt(4);
                            if (dropped.contains(q)) {
                                continue; // the core never touches a dropped incarnation again in the txn
                            }
                            long seq = 1 + r.nextInt(60);
                            long at = r.nextInt(40);
                            AuxTable table = AUX_TABLES.get(r.nextInt(AUX_TABLES.size()));
                            switch (r.nextInt(16)) {
                                case 0 -> {
                                    String n = NAMES[r.nextInt(NAMES.length)];
                                    t.putQueue(queue(q, n));
                                    m.queues.put(n, queue(q, n));
                                }
                                case 1 -> {
                                    String n = NAMES[r.nextInt(NAMES.length)];
                                    t.deleteQueue(n);
                                    m.queues.remove(n);
                                }
                                case 2, 3 -> {
                                    store(t, message(q, seq, at));
                                    m.messages.put(List.of(q, seq), "m-" + q + "-" + seq);
                                }
                                case 4 -> {
                                    t.deleteMessage(q, seq);
                                    m.messages.remove(List.of(q, seq));
                                }
                                case 5, 6 -> {
                                    boolean rec = r.nextBoolean();
                                    t.putVisibility(q, new VisibilityEntry(at, seq, rec));
                                    m.visibility.put(List.of(q, at, seq), rec);
                                }
                                case 7 -> {
                                    t.deleteVisibility(q, new VisibilityEntry(at, seq, false));
                                    m.visibility.remove(List.of(q, at, seq));
                                }
                                case 8 -> {
                                    if (r.nextInt(4) == 0) {
                                        t.dropMessages(q);
                                        dropped.add(q);
                                        m.messages.subMap(List.of(q), List.of(q + 1)).clear();
                                        m.visibility.subMap(List.of(q), List.of(q + 1)).clear();
                                    }
                                }
                                case 9 -> {
                                    String k = REG[r.nextInt(REG.length)];
                                    String v = "v" + r.nextInt(100);
                                    t.putRegistryRecord(k, v.getBytes(StandardCharsets.UTF_8));
                                    m.registry.put(k, v);
                                }
                                case 10 -> {
                                    String k = REG[r.nextInt(REG.length)];
                                    t.deleteRegistryRecord(k);
                                    m.registry.remove(k);
                                }
                                case 11, 12 -> {
                                    byte[] k = auxKey(r, 3);
                                    String v = "a" + r.nextInt(100);
                                    t.putAux(table, k, v.getBytes(StandardCharsets.UTF_8));
                                    m.aux.get(table).put(k, v);
                                }
                                case 13 -> {
                                    byte[] k = auxKey(r, 3);
                                    t.deleteAux(table, k);
                                    m.aux.get(table).remove(k);
                                }
                                case 14 -> {
                                    if (r.nextInt(3) == 0) {
                                        byte[] prefix = auxKey(r, 2);
                                        t.dropAux(table, prefix);
                                        // later writes to the table continue (and must survive the drop), but
                                        // the txn no longer reads it: the contract leaves such reads open
                                        auxDropped.add(table);
                                        m.aux.get(table).keySet().removeIf(k -> startsWith(k, prefix));
                                    }
                                }
                                default -> compare(r, t, m, dropped, auxDropped);
                            }
                        }
                        compare(r, t, m, dropped, auxDropped);
                        if (r.nextInt(5) > 0) {
                            t.commit(meta(++index));
                            committed = m;
                        }
                    }
                    try (StoreView v = store.view()) {
                        for (int i = 0; i < 5; i++) {
                            compare(r, v, committed, Set.of(), Set.of());
                        }
                    }
                    assertEquals(index == 0 ? io.pontoon.core.partition.PartitionMeta.EMPTY : meta(index), store.meta());
                    int action = r.nextInt(40);
                    if (action == 0) {
                        store.flush();
                    } else if (action == 1) {
                        store.close();
                        store = RocksPartitionStore.open(tmp.resolve("db"), res);
                    }
                }
            } finally {
                store.close();
            }
        }
    }

    private static void compare(Random r, StoreView v, Model m, Set<Long> dropped, Set<AuxTable> auxDropped) {
        compareAux(r, v, m, auxDropped);
        long q = 1 + r.nextInt(4);
        String name = NAMES[r.nextInt(NAMES.length)];
        String prefix = r.nextBoolean() ? "" : name.substring(0, 1 + r.nextInt(name.length()));
        String after = r.nextBoolean() ? "" : NAMES[r.nextInt(NAMES.length)];
        int limit = 1 + r.nextInt(8);

        assertEquals(m.queues.containsKey(name), v.queue(name).isPresent());
        List<String> expectedNames = new ArrayList<>();
        for (String n : m.queues.keySet()) {
            if (n.startsWith(prefix) && n.compareTo(after) > 0 && expectedNames.size() < limit) {
                expectedNames.add(n);
            }
        }
        assertEquals(expectedNames, v.queues(prefix, after, limit).stream().map(QueueRecord::name).toList());

        String reg = REG[r.nextInt(REG.length)];
        String regPrefix = r.nextBoolean() ? "" : reg.substring(0, 1 + r.nextInt(reg.length()));
        String regAfter = r.nextBoolean() ? "" : REG[r.nextInt(REG.length)];
        assertEquals(m.registry.get(reg), v.registryRecord(reg).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null));
        List<String> expectedReg = new ArrayList<>();
        for (Map.Entry<String, String> e : m.registry.entrySet()) {
            if (e.getKey().startsWith(regPrefix) && e.getKey().compareTo(regAfter) > 0 && expectedReg.size() < limit) {
                expectedReg.add(e.getKey() + "=" + e.getValue());
            }
        }
        assertEquals(expectedReg, v.registryRecords(regPrefix, regAfter, limit).stream()
                .map(e -> e.getKey() + "=" + new String(e.getValue(), StandardCharsets.UTF_8)).toList());

        if (dropped.contains(q)) {
            return; // reads of a dropped incarnation within its txn are outside the contract
        }
        long seq = 1 + r.nextInt(60);
        assertEquals(m.messages.get(List.of(q, seq)), v.message(q, seq).map(MessageRecord::messageId).orElse(null));
        int big = 1 + r.nextInt(100);
        assertEquals(m.messages.subMap(List.of(q), List.of(q + 1)).values().stream().limit(big).toList(),
                v.oldestMessages(q, big).stream().map(MessageRecord::messageId).toList());
        long from = r.nextInt(64) - 2;
        assertEquals(m.messages.subMap(List.of(q, from), List.of(q + 1)).values().stream().limit(big).toList(),
                v.messagesFrom(q, from, big).stream().map(MessageRecord::messageId).toList());

        long max = r.nextInt(45) - 2;
        List<VisibilityEntry> due = m.visibility.subMap(List.of(q), List.of(q, max + 1)).entrySet().stream().limit(big)
                .map(e -> new VisibilityEntry(e.getKey().get(1), e.getKey().get(2), e.getValue())).toList();
        assertEquals(due, v.dueUpTo(q, max, big));

        long now = r.nextInt(45) - 2;
        long cap = 1 + r.nextInt(100);
        long delayed = 0, inFlight = 0;
        for (Boolean rec : m.visibility.subMap(List.of(q, now + 1), List.of(q + 1)).values()) {
            if (delayed + inFlight >= cap) {
                break;
            }
            if (rec) {
                inFlight++;
            } else {
                delayed++;
            }
        }
        assertEquals(new NotVisibleCounts(delayed, inFlight), v.countNotVisible(q, now, cap));
    }

    private static void compareAux(Random r, StoreView v, Model m, Set<AuxTable> auxDropped) {
        AuxTable table = AUX_TABLES.get(r.nextInt(AUX_TABLES.size()));
        if (auxDropped.contains(table)) {
            return;
        }
        TreeMap<byte[], String> entries = m.aux.get(table);
        byte[] key = auxKey(r, 3);
        assertEquals(entries.get(key), v.aux(table, key).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null));

        byte[] prefix = auxKey(r, 2);
        byte[] after = r.nextBoolean() ? null : auxKey(r, 3);
        int limit = 1 + r.nextInt(10);
        List<String> expected = new ArrayList<>();
        for (Map.Entry<byte[], String> e : entries.entrySet()) {
            boolean afterStart = after == null || Arrays.compareUnsigned(e.getKey(), after) > 0;
            if (startsWith(e.getKey(), prefix) && afterStart && expected.size() < limit) {
                expected.add(Arrays.toString(e.getKey()) + "=" + e.getValue());
            }
        }
        List<AuxEntry> actual = v.auxRange(table, prefix, after, limit);
        assertEquals(expected, actual.stream()
                .map(e -> Arrays.toString(e.key()) + "=" + new String(e.value(), StandardCharsets.UTF_8)).toList());
    }
}
