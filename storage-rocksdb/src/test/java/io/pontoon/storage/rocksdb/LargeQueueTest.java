package io.pontoon.storage.rocksdb;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.VisibilityEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

import static io.pontoon.storage.rocksdb.Fixtures.message;
import static io.pontoon.storage.rocksdb.Fixtures.store;
import static io.pontoon.storage.rocksdb.Fixtures.meta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 200k messages with small memtables: data spread over many SST files, levels, tombstones and range deletes. */
class LargeQueueTest {
    static final int N = 200_000;
    static final int PER_TXN = 10_000;
    static final long Q = 1, OTHER = 2;

    @TempDir
    Path tmp;

    static long visibleAt(long seq) {
        return (seq * 7919) % 100_000;
    }

    static boolean received(long seq) {
        return seq % 3 == 0;
    }

    @Test
    void scansStayCorrectAtScale() {
        try (RocksResources res = new RocksResources(Fixtures.SMALL)) {
            RocksPartitionStore store = RocksPartitionStore.open(tmp.resolve("db"), res);
            try {
                long index = 0;
                for (long from = 1; from <= N; from += PER_TXN) {
                    long start = from;
                    try (StoreTxn t = store.begin()) {
                        for (long s = start; s < start + PER_TXN; s++) {
                            store(t, message(Q, s, visibleAt(s)));
                            t.putVisibility(Q, new VisibilityEntry(visibleAt(s), s, received(s)));
                            if (s % 100 == 0) {
                                store(t, message(OTHER, s, 0));
                                t.putVisibility(OTHER, new VisibilityEntry(0, s, false));
                            }
                        }
                        t.commit(meta(++index));
                    }
                }
                List<VisibilityEntry> all = new ArrayList<>(LongStream.rangeClosed(1, N)
                        .mapToObj(s -> new VisibilityEntry(visibleAt(s), s, received(s))).toList());
                all.sort(Comparator.comparingLong(VisibilityEntry::visibleAtMs).thenComparingLong(VisibilityEntry::seq));

                try (StoreView v = store.view()) {
                    assertEquals(LongStream.rangeClosed(1, 1000).boxed().toList(),
                            v.oldestMessages(Q, 1000).stream().map(MessageRecord::seq).toList());
                    assertEquals(all.subList(0, 5000), v.dueUpTo(Q, Long.MAX_VALUE, 5000));
                    long now = 50_000;
                    List<VisibilityEntry> due = all.stream().filter(e -> e.visibleAtMs() <= now).toList();
                    assertEquals(due, v.dueUpTo(Q, now, N));
                    long delayed = all.stream().filter(e -> e.visibleAtMs() > now && !e.received()).count();
                    long inFlight = all.stream().filter(e -> e.visibleAtMs() > now && e.received()).count();
                    assertEquals(new NotVisibleCounts(delayed, inFlight), v.countNotVisible(Q, now, Long.MAX_VALUE));
                    NotVisibleCounts capped = v.countNotVisible(Q, now, 1000);
                    assertEquals(1000, capped.delayed() + capped.inFlight());
                    assertEquals(N / 100, v.oldestMessages(OTHER, N).size());
                }

                // receive the first 50k due messages: tombstones pile up at the head of the index
                List<VisibilityEntry> head = all.subList(0, 50_000);
                try (StoreTxn t = store.begin()) {
                    for (VisibilityEntry e : head) {
                        t.deleteVisibility(Q, e);
                        t.putVisibility(Q, new VisibilityEntry(e.visibleAtMs() + 1_000_000, e.seq(), true));
                    }
                    for (long s = 1; s <= N; s += 2) {
                        t.deleteMessage(Q, s); // delete every odd message (leave the index alone)
                    }
                    t.commit(meta(++index));
                }
                store.flush();
                try (StoreView v = store.view()) {
                    assertEquals(all.subList(50_000, 50_100), v.dueUpTo(Q, Long.MAX_VALUE, 100));
                    assertEquals(new NotVisibleCounts(0, 50_000), v.countNotVisible(Q, 100_000, Long.MAX_VALUE));
                    assertEquals(LongStream.rangeClosed(1, 200).filter(s -> s % 2 == 0).boxed().toList(),
                            v.oldestMessages(Q, 100).stream().map(MessageRecord::seq).toList());
                }

                try (StoreTxn t = store.begin()) {
                    t.dropMessages(Q);
                    t.commit(meta(++index));
                }
                store.close();
                store = RocksPartitionStore.open(tmp.resolve("db"), res);
                try (StoreView v = store.view()) {
                    assertTrue(v.oldestMessages(Q, 10).isEmpty());
                    assertTrue(v.dueUpTo(Q, Long.MAX_VALUE, 10).isEmpty());
                    assertEquals(new NotVisibleCounts(0, 0), v.countNotVisible(Q, 0, Long.MAX_VALUE));
                    assertEquals(N / 100, v.oldestMessages(OTHER, N).size());
                    assertEquals(N / 100, v.dueUpTo(OTHER, 0, N).size());
                    assertEquals(meta(index), store.meta());
                }
            } finally {
                store.close();
            }
        }
    }
}
