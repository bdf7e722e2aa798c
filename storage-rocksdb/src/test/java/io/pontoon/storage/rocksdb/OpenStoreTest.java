package io.pontoon.storage.rocksdb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of the tests that work on one real RocksDB store in a temp dir, opened before and closed after each test. */
abstract class OpenStoreTest {
    @TempDir
    Path tmp;
    RocksResources resources;
    RocksPartitionStore store;

    @BeforeEach
    void open() {
        resources = new RocksResources(Fixtures.SMALL);
        store = RocksPartitionStore.open(tmp.resolve("db"), resources);
    }

    @AfterEach
    void close() {
        store.close();
        resources.close();
    }

    void reopen() {
        store.close();
        store = RocksPartitionStore.open(tmp.resolve("db"), resources);
    }
}
