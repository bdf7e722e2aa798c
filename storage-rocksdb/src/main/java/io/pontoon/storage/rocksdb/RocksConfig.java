package io.pontoon.storage.rocksdb;

/**
 * Memory and thread budget of all RocksDB partition stores of one node (shared through {@link RocksResources}).
 *
 * @param blockCacheBytes       capacity of the one LRU block cache shared by every store of the node; memtables
 *                              are charged to it too (see {@code totalWriteBufferBytes}), so this is the node's
 *                              RocksDB memory budget, apart from iterator / table-reader overhead
 * @param writeBufferBytesPerCf size of one memtable of one column family ({@code write_buffer_size})
 * @param totalWriteBufferBytes cap on all memtables of all stores of the node (the shared WriteBufferManager,
 *                              charged to the block cache); must be below {@code blockCacheBytes}
 * @param maxBackgroundJobs     flush + compaction jobs per store ({@code max_background_jobs}); the threads
 *                              themselves come from RocksDB's process-wide default Env pools
 */
public record RocksConfig(long blockCacheBytes, long writeBufferBytesPerCf, long totalWriteBufferBytes,
                          int maxBackgroundJobs) {

    /** Smallest memtable RocksDB is pleasant to run with; smaller ones flush constantly. */
    public static final long MIN_WRITE_BUFFER_BYTES = 64 * 1024;
    public static final int MAX_BACKGROUND_JOBS = 256;

    public RocksConfig {
        if (blockCacheBytes <= 0) {
            throw new IllegalArgumentException("blockCacheBytes must be > 0, got " + blockCacheBytes);
        }
        if (writeBufferBytesPerCf < MIN_WRITE_BUFFER_BYTES) {
            throw new IllegalArgumentException("writeBufferBytesPerCf must be >= " + MIN_WRITE_BUFFER_BYTES
                    + " bytes, got " + writeBufferBytesPerCf);
        }
        if (totalWriteBufferBytes < writeBufferBytesPerCf) {
            throw new IllegalArgumentException("totalWriteBufferBytes (" + totalWriteBufferBytes
                    + ") must be >= writeBufferBytesPerCf (" + writeBufferBytesPerCf + ")");
        }
        if (totalWriteBufferBytes >= blockCacheBytes) {
            throw new IllegalArgumentException("totalWriteBufferBytes (" + totalWriteBufferBytes
                    + ") must be < blockCacheBytes (" + blockCacheBytes
                    + "): memtables are charged to the block cache, which must keep room for data blocks");
        }
        if (maxBackgroundJobs < 1 || maxBackgroundJobs > MAX_BACKGROUND_JOBS) {
            throw new IllegalArgumentException("maxBackgroundJobs must be in [1, " + MAX_BACKGROUND_JOBS + "], got "
                    + maxBackgroundJobs);
        }
    }

    /** A node default: 512 MiB cache, 16 MiB memtables, at most 192 MiB of memtables in total, 4 jobs per store. */
    public static RocksConfig defaults() {
        return new RocksConfig(512L << 20, 16L << 20, 192L << 20, 4);
    }
}
