package io.pontoon.storage.rocksdb;

import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native resources shared by every {@link RocksPartitionStore} of a node, so that RocksDB memory is bounded per
 * node rather than per partition: one LRU block cache (data, index and filter blocks) and one WriteBufferManager
 * whose memtable memory is charged to that cache.
 *
 * <p>Close it after every store that uses it: {@link #close()} refuses while stores are still open, because
 * freeing the cache under a live DB would crash the process.
 */
public final class RocksResources implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksConfig config;
    private final LRUCache blockCache;
    private final WriteBufferManager writeBufferManager;
    private final AtomicInteger openStores = new AtomicInteger();
    private volatile boolean closed;

    public RocksResources(RocksConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.blockCache = new LRUCache(config.blockCacheBytes());
        this.writeBufferManager = new WriteBufferManager(config.totalWriteBufferBytes(), blockCache);
    }

    public RocksConfig config() {
        return config;
    }

    /** Number of stores currently open on these resources. */
    public int openStores() {
        return openStores.get();
    }

    LRUCache blockCache() {
        return blockCache;
    }

    WriteBufferManager writeBufferManager() {
        return writeBufferManager;
    }

    synchronized void acquire() {
        if (closed) {
            throw new IllegalStateException("RocksResources are closed");
        }
        openStores.incrementAndGet();
    }

    void release() {
        openStores.decrementAndGet();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (openStores.get() > 0) {
            throw new IllegalStateException("cannot close RocksResources: " + openStores.get() + " store(s) still open");
        }
        closed = true;
        writeBufferManager.close();
        blockCache.close();
    }
}
