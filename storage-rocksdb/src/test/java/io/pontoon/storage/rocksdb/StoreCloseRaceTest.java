package io.pontoon.storage.rocksdb;

import io.pontoon.core.partition.StoreView;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a store while other threads hash it or read it must never free RocksDB under a native iterator (which
 * crashes the JVM, as an unguarded digest once could): every read runs under the store's lifecycle lock, so it
 * either finishes before the close or fails cleanly with IllegalStateException after it.
 */
class StoreCloseRaceTest {
    @TempDir
    Path tmp;

    @RepeatedTest(5)
    void closeRacingDigestsAndReadsEitherWaitsForThemOrMakesThemFailCleanly() throws Exception {
        try (RocksResources resources = new RocksResources(Fixtures.SMALL)) {
            RocksPartitionStore store = RocksPartitionStore.open(tmp.resolve("db-" + System.nanoTime()), resources);
            for (int i = 1; i <= 20; i++) {
                long index = i;
                Fixtures.commit(store, index, t -> {
                    for (int s = 0; s < 1_000; s++) {
                        Fixtures.store(t, Fixtures.message(index, s, s));
                    }
                });
            }
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            AtomicInteger completed = new AtomicInteger();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                int kind = r;
                readers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int n = 0; n < 200; n++) {
                            if (kind % 2 == 0) {
                                store.digest();
                            } else {
                                try (StoreView v = store.view()) {
                                    v.oldestMessages(1 + n % 20, 50);
                                    v.payload(1 + n % 20, n % 50);
                                }
                            }
                            completed.incrementAndGet();
                        }
                    } catch (IllegalStateException closed) {
                        // the store was closed under us: the clean failure the contract promises
                    } catch (Throwable t) {
                        unexpected.compareAndSet(null, t);
                    }
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (completed.get() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the close must meet the readers mid-work, not before they start
            }
            store.close();
            for (Thread t : readers) {
                t.join();
            }
            assertNull(unexpected.get(), () -> "a read failed other than cleanly: " + unexpected.get());
            assertTrue(completed.get() >= 2, "the readers were running when the store closed");
        }
    }
}
