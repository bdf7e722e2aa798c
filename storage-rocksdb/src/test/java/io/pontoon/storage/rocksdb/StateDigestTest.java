package io.pontoon.storage.rocksdb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.pontoon.core.partition.AuxTable.DEDUP;
import static io.pontoon.storage.rocksdb.Fixtures.commit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The replica digest: equal state gives an equal digest, whatever the history of flushes and deletes. */
class StateDigestTest extends OpenStoreTest {
    private RocksPartitionStore other;

    @AfterEach
    void closeOther() {
        if (other != null) other.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoStoresWithTheSameEntriesAtTheSameIndexAgreeEvenIfOneFlushedAndDeletedOnTheWay() {
        other = RocksPartitionStore.open(tmp.resolve("other"), resources);
        commit(store, 1, t -> t.putAux(DEDUP, b("a"), b("1")));
        commit(store, 2, t -> t.putAux(DEDUP, b("b"), b("2")));
        commit(other, 1, t -> {
            t.putAux(DEDUP, b("a"), b("1"));
            t.putAux(DEDUP, b("gone"), b("x"));
        });
        other.flush();
        commit(other, 2, t -> {
            t.deleteAux(DEDUP, b("gone"));
            t.putAux(DEDUP, b("b"), b("2"));
        });
        RocksPartitionStore.Digest d = store.digest();
        assertEquals(2, d.appliedIndex());
        assertEquals(d, other.digest());
    }

    @Test
    void anyDifferentValueOrIndexChangesTheDigest() {
        other = RocksPartitionStore.open(tmp.resolve("other"), resources);
        commit(store, 1, t -> t.putAux(DEDUP, b("a"), b("1")));
        commit(other, 1, t -> t.putAux(DEDUP, b("a"), b("2")));
        assertNotEquals(store.digest().sha256(), other.digest().sha256());
        commit(store, 2, t -> { });
        assertEquals(2, store.digest().appliedIndex());
    }

    @Test
    void theDigestSurvivesAReopen() {
        commit(store, 1, t -> t.putAux(DEDUP, b("a"), b("1")));
        RocksPartitionStore.Digest before = store.digest();
        reopen();
        assertEquals(before, store.digest());
    }
}
