package io.pontoon.storage.rocksdb;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.stream.Lease;
import io.pontoon.core.stream.ShardRecord;
import io.pontoon.core.stream.StoredRecord;
import io.pontoon.core.stream.StreamCodec;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.partition.PartitionStore;
import io.pontoon.core.queue.RecordCodec;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.VisibilityEntry;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.TablePropertiesCollectorFactory;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.channels.FileChannel;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.security.MessageDigest;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link PartitionStore} on one RocksDB instance per partition.
 *
 * <h2>Column families</h2>
 * {@code default} holds the single meta key; {@code queues}, {@code messages}, {@code visibility} and
 * {@code registry} hold one key family each, and {@code aux} holds every {@link AuxTable}, each behind a one-byte
 * table id (layout: {@code KEY_LAYOUT.md}, encoder: {@link KeyCodec}). Separate
 * column families rather than key prefixes in one keyspace because the families want different tuning (a
 * fixed 8-byte queue-id prefix extractor with prefix bloom filters and deletion-triggered compaction for the
 * high-churn message and visibility families; plain total order for names), and because range tombstones of
 * {@link StoreTxn#dropMessages} and the delete churn of the visibility index then stay out of the scans of the
 * other families. Every column family uses the node's shared block cache (a column family without it would get
 * a private default cache, unbounded per node).
 *
 * <h2>Durability: the Raft log is the write-ahead log</h2>
 * <ul>
 *   <li>Every write uses {@code WriteOptions.disableWAL=true}. A txn commits its data and the new
 *       {@link PartitionMeta} (applied index/term, effective time, next seq) in ONE write batch, so data and meta
 *       can never disagree about which log entries are applied.</li>
 *   <li>{@code atomic_flush=true}: memtables of all column families are flushed together (explicitly by
 *       {@link #flush()}, or by RocksDB when memtables fill up), so after a crash the DB holds exactly a prefix of
 *       the committed batches, and the meta key it holds describes exactly that prefix.</li>
 *   <li>{@link #meta()} is the last <em>committed</em> meta (cached in memory); it is durable only once
 *       {@link #flush()} has returned. <b>Never report {@code meta().appliedIndex()} to Raft as a snapshot /
 *       durable index without calling {@link #flush()} (or {@link #checkpoint}) first.</b> On open the store reads
 *       the meta key ({@link PartitionMeta#EMPTY} if absent): after a crash it is the meta of the last flushed
 *       batch, and Ratis replays the log suffix after its {@code appliedIndex}.</li>
 *   <li>{@link #close()} flushes, so a clean shutdown loses nothing.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * One txn at a time ({@link #begin()} refuses a second). Views are RocksDB snapshots, usable from any thread
 * concurrently with apply. Native resources are guarded by a read/write lock so that {@link #close()} never frees
 * a handle that another thread is using; operations on a closed store, txn or view throw
 * {@link IllegalStateException}.
 *
 * <h2>Memory</h2>
 * Messages live only in RocksDB; scans return at most {@code limit} records and counts do not materialize
 * records, so heap use does not grow with queue depth. Native memory is bounded by the node's
 * {@link RocksResources} (block cache, with memtables charged to it; index and filter blocks cached in it too).
 */
public final class RocksPartitionStore implements PartitionStore {
    static final String CF_QUEUES = "queues";
    static final String CF_MESSAGES = "messages";
    static final String CF_VISIBILITY = "visibility";
    static final String CF_REGISTRY = "registry";
    static final String CF_AUX = "aux";
    static final String CF_PAYLOADS = "payloads";
    static final String CF_STREAM_RECORDS = "stream_records";
    static final String CF_STREAM_INDEX = "stream_index";

    private static final String RESTORE_TMP = ".restore-tmp";
    private static final String RESTORE_READY = ".restore-ready";
    private static final String RESTORE_OLD = ".restore-old";

    private final Path dir;
    private final RocksResources resources;
    private final List<AutoCloseable> ownedOptions;
    private final DBOptions dbOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle metaCf;
    private final ColumnFamilyHandle queuesCf;
    private final ColumnFamilyHandle messagesCf;
    private final ColumnFamilyHandle visibilityCf;
    private final ColumnFamilyHandle registryCf;
    private final ColumnFamilyHandle auxCf;
    private final ColumnFamilyHandle payloadsCf;
    private final ColumnFamilyHandle streamRecordsCf;
    private final ColumnFamilyHandle streamIndexCf;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions writeOptions;

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Set<View> openViews = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Txn> openTxn = new AtomicReference<>();
    private volatile PartitionMeta meta;
    /**
     * Per queue id, a visibility key below which the committed index holds no live entry: receives take the head
     * of the index and delete it, so a scan from the queue's first key would step over every tombstone since the
     * last compaction (it was the largest cost of apply under load). Raised only by a committed txn's scans,
     * lowered by every put at once; kept in memory only, so a reopened store starts from the queue's first key.
     * It makes scans shorter, never different. Used by txns (the apply thread) only; views read a snapshot that
     * may predate a raise.
     */
    private final Map<Long, byte[]> visibilityFloors = new ConcurrentHashMap<>();
    private boolean closed; // guarded by lifecycle

    private RocksPartitionStore(Path dir, RocksResources resources, List<AutoCloseable> ownedOptions, DBOptions dbOptions,
                                RocksDB db, List<ColumnFamilyHandle> handles) throws RocksDBException {
        this.dir = dir;
        this.resources = resources;
        this.ownedOptions = ownedOptions;
        this.dbOptions = dbOptions;
        this.db = db;
        this.handles = List.copyOf(handles);
        this.metaCf = handles.get(0);
        this.queuesCf = handles.get(1);
        this.messagesCf = handles.get(2);
        this.visibilityCf = handles.get(3);
        this.registryCf = handles.get(4);
        this.auxCf = handles.get(5);
        this.payloadsCf = handles.get(6);
        this.streamRecordsCf = handles.get(7);
        this.streamIndexCf = handles.get(8);
        this.writeOptions = new WriteOptions().setDisableWAL(true).setSync(false);
        byte[] stored = db.get(metaCf, KeyCodec.META_KEY);
        this.meta = stored == null ? PartitionMeta.EMPTY : RecordCodec.decodeMeta(stored);
    }

    /**
     * Opens (creating if missing) the store in {@code dir}. Completes a {@link #restoreFrom} that a crash
     * interrupted after its copy was complete.
     */
    public static RocksPartitionStore open(Path dir, RocksResources shared) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(shared, "shared");
        Path abs = dir.toAbsolutePath();
        try {
            completeInterruptedRestore(abs);
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare store directory " + abs, e);
        }
        shared.acquire();
        List<AutoCloseable> owned = new ArrayList<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        DBOptions dbOptions = null;
        RocksDB db = null;
        try {
            RocksConfig cfg = shared.config();
            dbOptions = new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setAtomicFlush(true)
                    .setAvoidFlushDuringShutdown(false)
                    .setWriteBufferManager(shared.writeBufferManager())
                    .setMaxBackgroundJobs(cfg.maxBackgroundJobs())
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                    .setKeepLogFileNum(3)
                    .setStatsDumpPeriodSec(0);
            List<ColumnFamilyDescriptor> descriptors = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions(shared, false, owned)),
                    new ColumnFamilyDescriptor(bytes(CF_QUEUES), cfOptions(shared, false, owned)),
                    new ColumnFamilyDescriptor(bytes(CF_MESSAGES), cfOptions(shared, true, owned)),
                    new ColumnFamilyDescriptor(bytes(CF_VISIBILITY), cfOptions(shared, true, owned)),
                    new ColumnFamilyDescriptor(bytes(CF_REGISTRY), cfOptions(shared, false, owned)),
                    // added after the others (handles are taken by position); a DB created before it gets it
                    // through create_missing_column_families
                    new ColumnFamilyDescriptor(bytes(CF_AUX), cfOptions(shared, false, owned)),
                    new ColumnFamilyDescriptor(bytes(CF_PAYLOADS), cfOptions(shared, true, owned)),
                    // the stream model's: shard logs keyed [uid][seq] (8-byte prefix), and shards, time marks, leases
                    new ColumnFamilyDescriptor(bytes(CF_STREAM_RECORDS), cfOptions(shared, true, owned)),
                    new ColumnFamilyDescriptor(bytes(CF_STREAM_INDEX), cfOptions(shared, false, owned)));
            db = RocksDB.open(dbOptions, abs.toString(), descriptors, handles);
            RocksPartitionStore store = new RocksPartitionStore(abs, shared, owned, dbOptions, db, handles);
            store.splitInlinePayloads();
            return store;
        } catch (RocksDBException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            if (dbOptions != null) {
                dbOptions.close();
            }
            closeAll(owned);
            shared.release();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new RocksStoreException("cannot open RocksDB partition store in " + abs, e);
        }
    }

    /**
     * Replaces the store directory {@code liveDir} with a copy of {@code checkpoint} (a directory written by
     * {@link #checkpoint}) and opens it. The store that used {@code liveDir} must be closed first; the checkpoint
     * directory is left untouched and may be deleted afterwards.
     *
     * <p>Crash safety: the checkpoint is copied (SST files hard-linked where possible; every file fsynced) into
     * {@code <liveDir>.restore-tmp}, which is then renamed to {@code <liveDir>.restore-ready} (the copy is
     * complete); the old live dir is renamed aside, the ready dir renamed to {@code liveDir}, and the old one
     * deleted. If a crash interrupts the swap, the next {@link #open} (or restore) of {@code liveDir} completes it;
     * if it interrupts the copy, the old live dir is untouched.
     */
    public static RocksPartitionStore restoreFrom(Path checkpoint, Path liveDir, RocksResources shared) {
        Path src = checkpoint.toAbsolutePath();
        Path live = liveDir.toAbsolutePath();
        if (!Files.isRegularFile(src.resolve("CURRENT"))) {
            throw new IllegalArgumentException("not a RocksDB checkpoint (no CURRENT file): " + src);
        }
        if (live.startsWith(src) || src.startsWith(live)) {
            throw new IllegalArgumentException("checkpoint " + src + " and live dir " + live + " must not nest");
        }
        Path tmp = sibling(live, RESTORE_TMP);
        Path ready = sibling(live, RESTORE_READY);
        try {
            Files.createDirectories(live.getParent());
            deleteRecursively(tmp);
            deleteRecursively(ready);
            copyTree(src, tmp);
            Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
            fsyncDir(live.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy checkpoint " + src + " for " + live, e);
        }
        return open(live, shared);
    }

    /** The directory of this store's RocksDB. */
    public Path directory() {
        return dir;
    }

    @Override
    public PartitionMeta meta() {
        return meta;
    }

    @Override
    public StoreTxn begin() {
        Lock lock = enter();
        try {
            Txn txn = new Txn();
            if (!openTxn.compareAndSet(null, txn)) {
                txn.release();
                throw new IllegalStateException("a txn is already open on " + dir);
            }
            return txn;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoreView view() {
        Lock lock = enter();
        try {
            View v = new View(db.getSnapshot());
            openViews.add(v);
            return v;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bytes of live SST files holding message content (the payloads family), and entries in them: what the node keeps
     * on disk beyond its memtables, for tests of what reaches disk.
     */
    long payloadFileBytes() {
        Lock lock = enter();
        try {
            return db.getLongProperty(payloadsCf, "rocksdb.total-sst-files-size");
        } catch (RocksDBException e) {
            throw new RocksStoreException("property of " + dir + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        Lock lock = enter();
        try {
            flushAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void checkpoint(Path target) {
        Path abs = target.toAbsolutePath();
        Lock lock = enter();
        try {
            if (Files.exists(abs)) {
                throw new IllegalArgumentException("checkpoint target already exists: " + abs);
            }
            Files.createDirectories(abs.getParent());
            flushAll();
            try (Checkpoint cp = Checkpoint.create(db)) {
                cp.createCheckpoint(abs.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory parent for " + abs, e);
        } catch (RocksDBException e) {
            throw new RocksStoreException("checkpoint of " + dir + " into " + abs + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** A replica's state at one applied index: a SHA-256 over every column family's keys and values. */
    public record Digest(long appliedIndex, String sha256) {
    }

    /**
     * Hashes the committed state from one RocksDB snapshot, together with the applied index that snapshot holds
     * (the meta key is written in the same batch as the data, so the two always agree). Apply is deterministic,
     * so replicas at the same applied index must produce the same digest (like etcd's HashKV); a difference means
     * they diverged. Reads the whole store: an operator/test check, not a hot path.
     */
    public Digest digest() {
        MessageDigest sha = sha256();
        try (View v = (View) view()) {
            // Under the lifecycle lock like every read (Reader.call): a close racing the scan must wait, not free the
            // DB under a native iterator.
            long index = v.call(() -> {
                byte[] stored = v.get(metaCf, KeyCodec.META_KEY);
                for (int cf = 0; cf < handles.size(); cf++) {
                    int cfIndex = cf;
                    v.scan(handles.get(cf), new byte[0], new byte[0], null, false, (k, val) -> {
                        sha.update((byte) cfIndex);
                        update(sha, k);
                        update(sha, val);
                        return true;
                    });
                }
                return stored == null ? PartitionMeta.EMPTY.appliedIndex() : RecordCodec.decodeMeta(stored).appliedIndex();
            });
            return new Digest(index, java.util.HexFormat.of().formatHex(sha.digest()));
        }
    }

    /**
     * Moves message content written inline by record formats before v5 into the payloads family, rewriting each
     * such message record in the current format. Runs once when a store opens (a no-op afterwards): the result is a
     * deterministic function of the stored state, so replicas that converted at different times still agree.
     */
    private void splitInlinePayloads() throws RocksDBException {
        int converted = 0;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(messagesCf, ro)) {
            WriteBatch batch = new WriteBatch();
            try {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    io.pontoon.core.queue.MessagePayload legacy = RecordCodec.legacyPayload(it.value());
                    if (legacy == null) {
                        continue;
                    }
                    batch.put(payloadsCf, it.key(), RecordCodec.encodePayload(legacy));
                    batch.put(messagesCf, it.key(), RecordCodec.encodeMessage(RecordCodec.decodeMessage(it.value())));
                    if (++converted % 256 == 0) {
                        db.write(writeOptions, batch);
                        batch.close();
                        batch = new WriteBatch();
                    }
                }
                it.status();
                db.write(writeOptions, batch);
            } finally {
                batch.close();
            }
        }
        if (converted > 0) {
            flush(); // the WAL is off: make the conversion durable before anything relies on it
        }
    }

    private static void update(MessageDigest sha, byte[] bytes) {
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Flushes, then releases every native resource. Open views and an open txn become unusable. */
    @Override
    public void close() {
        shutdown(true);
    }

    /**
     * Test hook: closes like a process crash would, dropping every memtable that was not flushed (the WAL is
     * off, so only flushed state survives).
     */
    void closeDiscardingUnflushed() {
        shutdown(false);
    }

    private void shutdown(boolean flush) {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = null;
            try {
                if (flush) {
                    flushAll();
                } else {
                    db.setDBOptions(MutableDBOptions.builder().setAvoidFlushDuringShutdown(true).build());
                }
            } catch (RuntimeException | RocksDBException e) {
                failure = e instanceof RuntimeException re ? re : new RocksStoreException("close of " + dir, e);
            }
            Txn txn = openTxn.getAndSet(null);
            if (txn != null) {
                txn.release();
            }
            for (View v : openViews) {
                v.release();
            }
            openViews.clear();
            writeOptions.close();
            handles.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                if (failure == null) {
                    failure = new RocksStoreException("close of " + dir + " failed", e);
                }
            }
            dbOptions.close();
            closeAll(ownedOptions);
            resources.release();
            if (failure != null) {
                throw failure;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // internals

    private Lock enter() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new IllegalStateException("store is closed: " + dir);
        }
        return lock;
    }

    private void flushAll() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handles); // atomic across all column families (atomic_flush=true)
        } catch (RocksDBException e) {
            throw new RocksStoreException("flush of " + dir + " failed", e);
        }
    }

    private static ColumnFamilyOptions cfOptions(RocksResources shared, boolean queueScoped, List<AutoCloseable> owned) {
        BloomFilter bloom = new BloomFilter(10);
        owned.add(bloom);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(shared.blockCache())
                .setFilterPolicy(bloom)
                .setWholeKeyFiltering(true)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        ColumnFamilyOptions o;
        if (queueScoped) {
            // Receive / delete leave runs of tombstones at the head of the index; compact files that fill up
            // with them so that dueUpTo/messagesFrom do not have to skip them for long. The collector can only
            // be set through Options in RocksJava; ColumnFamilyOptions(Options) copies it.
            TablePropertiesCollectorFactory compactOnDeletes =
                    TablePropertiesCollectorFactory.NewCompactOnDeletionCollectorFactory(10_000, 5_000, 0.5);
            owned.add(compactOnDeletes);
            try (Options withCollector = new Options()) {
                withCollector.setTablePropertiesCollectorFactory(List.of(compactOnDeletes));
                o = new ColumnFamilyOptions(withCollector);
            }
        } else {
            o = new ColumnFamilyOptions();
        }
        o.setWriteBufferSize(shared.config().writeBufferBytesPerCf())
                .setTableFormatConfig(table);
        owned.add(o);
        if (queueScoped) {
            // Every scan of these families stays inside one queue incarnation: [queueId] is the prefix.
            o.useFixedLengthPrefixExtractor(KeyCodec.LONG_BYTES);
            o.setMemtablePrefixBloomSizeRatio(0.02);
        }
        return o;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // native option objects do not fail on close
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // restore helpers

    private static Path sibling(Path live, String suffix) {
        return live.resolveSibling(live.getFileName().toString() + suffix);
    }

    /** Rolls forward a restore whose copy completed ({@code .restore-ready} exists) and removes leftovers. */
    private static void completeInterruptedRestore(Path live) throws IOException {
        Path parent = live.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        Path tmp = sibling(live, RESTORE_TMP);
        Path ready = sibling(live, RESTORE_READY);
        Path old = sibling(live, RESTORE_OLD);
        deleteRecursively(tmp);
        if (Files.isDirectory(ready)) {
            if (Files.exists(live)) {
                deleteRecursively(old);
                Files.move(live, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(ready, live, StandardCopyOption.ATOMIC_MOVE);
            fsyncDir(parent);
        }
        deleteRecursively(old);
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(dst.resolve(src.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Path to = dst.resolve(src.relativize(f).toString());
                String name = f.getFileName().toString();
                boolean immutable = name.endsWith(".sst") || name.endsWith(".blob");
                boolean linked = false;
                if (immutable) {
                    try {
                        Files.createLink(to, f); // SST files are never modified: sharing the inode is safe
                        linked = true;
                    } catch (IOException | UnsupportedOperationException e) {
                        linked = false; // other file system, or no hard links: copy instead
                    }
                }
                if (!linked) {
                    Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
                try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                fsyncDir(dst.resolve(src.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void fsyncDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some platforms cannot open or fsync a directory; nothing more we can do there
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // reads shared by views and txns

    @FunctionalInterface
    private interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    /** Visits one key/value; returns false to stop the scan. */
    @FunctionalInterface
    private interface Visitor {
        boolean visit(byte[] key, byte[] value);
    }

    private abstract class Reader implements StoreView {

        /** Throws IllegalStateException if this reader may no longer be used. */
        abstract void checkUsable();

        abstract byte[] get(ColumnFamilyHandle cf, byte[] key) throws RocksDBException;

        /** Options for one scan; the caller sets bounds and closes them. */
        abstract ReadOptions newScanOptions();

        abstract RocksIterator iterator(ColumnFamilyHandle cf, ReadOptions options);

        final <T> T call(RocksCall<T> body) {
            Lock lock = enter();
            try {
                checkUsable();
                return body.call();
            } catch (RocksDBException e) {
                throw new RocksStoreException("read of " + dir + " failed", e);
            } finally {
                lock.unlock();
            }
        }

        /**
         * Iterates from {@code seek} over keys that start with {@code within} and are below {@code upper}
         * (exclusive; null = no bound besides {@code within}). Bounds are also checked here because the delta
         * part of a txn's merged iterator does not honour the ReadOptions bounds.
         */
        final void scan(ColumnFamilyHandle cf, byte[] seek, byte[] within, byte[] upper, boolean prefixSeek, Visitor v)
                throws RocksDBException {
            try (Slice upperSlice = upper == null ? null : new Slice(upper);
                 ReadOptions ro = newScanOptions()) {
                if (upperSlice != null) {
                    ro.setIterateUpperBound(upperSlice);
                }
                if (prefixSeek) {
                    ro.setPrefixSameAsStart(true);
                }
                try (RocksIterator it = iterator(cf, ro)) {
                    for (it.seek(seek); it.isValid(); it.next()) {
                        byte[] key = it.key();
                        if (!KeyCodec.startsWith(key, within)
                                || (upper != null && KeyCodec.compare(key, upper) >= 0)
                                || !v.visit(key, it.value())) {
                            break;
                        }
                    }
                    it.status();
                }
            }
        }

        /** Keys starting with {@code prefix} and sorting after {@code startAfter} (exclusive; empty = from the start). */
        final void prefixScan(ColumnFamilyHandle cf, String prefix, String startAfter, Visitor v) throws RocksDBException {
            byte[] p = KeyCodec.utf8(prefix == null ? "" : prefix);
            byte[] after = startAfter == null || startAfter.isEmpty() ? null : KeyCodec.utf8(startAfter);
            byte[] seek = after != null && KeyCodec.compare(after, p) >= 0 ? after : p;
            scan(cf, seek, p, KeyCodec.successor(p), false,
                    (k, val) -> (after != null && java.util.Arrays.equals(k, after)) || v.visit(k, val));
        }

        @Override
        public Optional<QueueRecord> queue(String name) {
            return call(() -> Optional.ofNullable(get(queuesCf, KeyCodec.utf8(name))).map(RecordCodec::decodeQueue));
        }

        @Override
        public List<QueueRecord> queues(String namePrefix, String startAfterName, int limit) {
            if (limit <= 0) {
                return List.of();
            }
            return call(() -> {
                List<QueueRecord> out = new ArrayList<>(Math.min(limit, 64));
                prefixScan(queuesCf, namePrefix, startAfterName, (k, v) -> {
                    out.add(RecordCodec.decodeQueue(v));
                    return out.size() < limit;
                });
                return out;
            });
        }

        @Override
        public Optional<MessageRecord> message(long queueId, long seq) {
            return call(() -> Optional.ofNullable(get(messagesCf, KeyCodec.messageKey(queueId, seq)))
                    .map(RecordCodec::decodeMessage));
        }

        @Override
        public Optional<io.pontoon.core.queue.MessagePayload> payload(long queueId, long seq) {
            return call(() -> Optional.ofNullable(get(payloadsCf, KeyCodec.messageKey(queueId, seq))).map(RecordCodec::decodePayload));
        }

        @Override
        public List<VisibilityEntry> dueUpTo(long queueId, long maxVisibleAtMs, int limit) {
            if (limit <= 0) {
                return List.of();
            }
            return call(() -> {
                List<VisibilityEntry> out = new ArrayList<>(Math.min(limit, 64));
                byte[] prefix = KeyCodec.queuePrefix(queueId);
                byte[] upper = KeyCodec.successor(KeyCodec.visibilityPrefix(queueId, maxVisibleAtMs));
                byte[][] first = new byte[1][];
                scan(visibilityCf, visibilitySeek(queueId, prefix), prefix, upper, true, (k, v) -> {
                    if (first[0] == null) {
                        first[0] = k;
                    }
                    out.add(new VisibilityEntry(KeyCodec.visibleAtOf(k), KeyCodec.visibilitySeqOf(k), KeyCodec.receivedOf(v)));
                    return out.size() < limit;
                });
                visibilityScanned(queueId, first[0] != null ? first[0] : upper);
                return out;
            });
        }

        /** Where a scan of {@code queueId}'s visibility index starts: its first key, unless a floor is known. */
        byte[] visibilitySeek(long queueId, byte[] prefix) {
            return prefix;
        }

        /** A scan found no live visibility entry of {@code queueId} below {@code liveFloor}. */
        void visibilityScanned(long queueId, byte[] liveFloor) {
        }

        @Override
        public NotVisibleCounts countNotVisible(long queueId, long nowMs, long cap) {
            if (cap <= 0) {
                return new NotVisibleCounts(0, 0);
            }
            byte[] seek = KeyCodec.successor(KeyCodec.visibilityPrefix(queueId, nowMs));
            if (seek == null) {
                return new NotVisibleCounts(0, 0);
            }
            return call(() -> {
                long[] counts = new long[2]; // delayed, in flight
                byte[] prefix = KeyCodec.queuePrefix(queueId);
                scan(visibilityCf, seek, prefix, KeyCodec.successor(prefix), true, (k, v) -> {
                    counts[KeyCodec.receivedOf(v) ? 1 : 0]++;
                    return counts[0] + counts[1] < cap;
                });
                return new NotVisibleCounts(counts[0], counts[1]);
            });
        }

        @Override
        public List<MessageRecord> messagesFrom(long queueId, long fromSeq, int limit) {
            if (limit <= 0) {
                return List.of();
            }
            return call(() -> {
                List<MessageRecord> out = new ArrayList<>(Math.min(limit, 64));
                byte[] prefix = KeyCodec.queuePrefix(queueId);
                scan(messagesCf, KeyCodec.messageKey(queueId, fromSeq), prefix, KeyCodec.successor(prefix), true,
                        (k, v) -> {
                            out.add(RecordCodec.decodeMessage(v));
                            return out.size() < limit;
                        });
                return out;
            });
        }

        @Override
        public Optional<byte[]> aux(AuxTable table, byte[] key) {
            return call(() -> Optional.ofNullable(get(auxCf, KeyCodec.auxKey(table, key))));
        }

        @Override
        public List<AuxEntry> auxRange(AuxTable table, byte[] prefix, byte[] startAfter, int limit) {
            if (limit <= 0) {
                return List.of();
            }
            return call(() -> {
                List<AuxEntry> out = new ArrayList<>(Math.min(limit, 64));
                byte[] within = KeyCodec.auxKey(table, prefix);
                // a startAfter below the prefix does not narrow the range; one at or above it is skipped itself
                byte[] after = startAfter == null || KeyCodec.compare(startAfter, prefix) < 0
                        ? null : KeyCodec.auxKey(table, startAfter);
                scan(auxCf, after != null ? after : within, within, KeyCodec.auxRangeEnd(table, prefix), false,
                        (k, v) -> {
                            if (after != null && java.util.Arrays.equals(k, after)) {
                                return true;
                            }
                            out.add(new AuxEntry(KeyCodec.auxUserKey(k), v));
                            return out.size() < limit;
                        });
                return out;
            });
        }

        // ---- stream model

        @Override
        public Optional<ShardRecord> shard(long uid) {
            return call(() -> Optional.ofNullable(get(streamIndexCf, KeyCodec.shardKey(uid))).map(StreamCodec::decodeShard));
        }

        @Override
        public List<ShardRecord> shards(long afterUid, int limit) {
            if (limit <= 0 || afterUid == Long.MAX_VALUE) {
                return List.of();
            }
            return call(() -> {
                List<ShardRecord> out = new ArrayList<>(Math.min(limit, 64));
                byte[] table = {KeyCodec.STREAM_SHARD};
                scan(streamIndexCf, KeyCodec.shardKey(afterUid + 1), table, KeyCodec.successor(table), false, (k, v) -> {
                    out.add(StreamCodec.decodeShard(v));
                    return out.size() < limit;
                });
                return out;
            });
        }

        @Override
        public List<StoredRecord> records(long uid, long fromSeq, int limit, long maxBytes) {
            if (limit <= 0) {
                return List.of();
            }
            return call(() -> {
                List<StoredRecord> out = new ArrayList<>(Math.min(limit, 256));
                long[] bytes = {0};
                byte[] prefix = KeyCodec.queuePrefix(uid);
                scan(streamRecordsCf, KeyCodec.recordKey(uid, fromSeq), prefix, KeyCodec.queueRangeEnd(uid), true, (k, v) -> {
                    StoredRecord r = StreamCodec.decodeRecord(KeyCodec.messageSeqOf(k), v);
                    bytes[0] += r.weight();
                    if (!out.isEmpty() && bytes[0] > maxBytes) {
                        return false;
                    }
                    out.add(r);
                    return out.size() < limit;
                });
                return out;
            });
        }

        @Override
        public java.util.OptionalLong seqAtOrAfter(long uid, long timestampMs) {
            return call(() -> {
                long[] found = {-1};
                byte[] prefix = KeyCodec.shardTablePrefix(KeyCodec.STREAM_TIME, uid);
                scan(streamIndexCf, KeyCodec.timeMarkKey(uid, timestampMs), prefix, KeyCodec.successor(prefix), false, (k, v) -> {
                    found[0] = KeyCodec.getLong(v, 0);
                    return false;
                });
                return found[0] < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(found[0]);
            });
        }

        @Override
        public Optional<Lease> lease(long uid, String application) {
            return call(() -> Optional.ofNullable(get(streamIndexCf, KeyCodec.leaseKey(uid, application))).map(StreamCodec::decodeLease));
        }

        @Override
        public Optional<byte[]> registryRecord(String key) {
            return call(() -> Optional.ofNullable(get(registryCf, KeyCodec.utf8(key))));
        }

        @Override
        public List<Map.Entry<String, byte[]>> registryRecords(String prefix, String startAfterKey, int limit) {
            if (limit <= 0) {
                return List.of();
            }
            return call(() -> {
                List<Map.Entry<String, byte[]>> out = new ArrayList<>(Math.min(limit, 64));
                prefixScan(registryCf, prefix, startAfterKey, (k, v) -> {
                    out.add(new AbstractMap.SimpleImmutableEntry<>(KeyCodec.string(k), v));
                    return out.size() < limit;
                });
                return Collections.unmodifiableList(out);
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // view: a RocksDB snapshot

    private final class View extends Reader {
        private final Snapshot snapshot;
        private final ReadOptions readOptions;
        private boolean released; // guarded by this

        View(Snapshot snapshot) {
            this.snapshot = snapshot;
            this.readOptions = new ReadOptions().setSnapshot(snapshot);
        }

        @Override
        synchronized void checkUsable() {
            if (released) {
                throw new IllegalStateException("view is closed");
            }
        }

        @Override
        byte[] get(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
            return db.get(cf, readOptions, key);
        }

        @Override
        ReadOptions newScanOptions() {
            return new ReadOptions().setSnapshot(snapshot);
        }

        @Override
        RocksIterator iterator(ColumnFamilyHandle cf, ReadOptions options) {
            return db.newIterator(cf, options);
        }

        /** Frees the snapshot; the caller holds the lifecycle lock (read or write) and the store is open. */
        synchronized void release() {
            if (!released) {
                released = true;
                readOptions.close();
                db.releaseSnapshot(snapshot);
            }
        }

        @Override
        public void close() {
            Lock lock = lifecycle.readLock();
            lock.lock();
            try {
                if (!closed && openViews.remove(this)) {
                    release();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // txn: a WriteBatchWithIndex over the live DB

    private final class Txn extends Reader implements StoreTxn {
        private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
        private final ReadOptions readOptions = new ReadOptions();
        /** Floors this txn's scans found (with its own deletes); they become the store's only if it commits. */
        private final Map<Long, byte[]> floorRaises = new java.util.HashMap<>();
        private boolean committed;
        private boolean released;

        @Override
        byte[] visibilitySeek(long queueId, byte[] prefix) {
            byte[] floor = floorRaises.getOrDefault(queueId, visibilityFloors.get(queueId));
            return floor != null && KeyCodec.compare(floor, prefix) > 0 ? floor : prefix;
        }

        @Override
        void visibilityScanned(long queueId, byte[] liveFloor) {
            floorRaises.put(queueId, liveFloor);
        }

        /** A put below a floor lowers it at once (in the store too: lower is always safe, committed or not). */
        private void lowerFloor(long queueId, byte[] key) {
            visibilityFloors.computeIfPresent(queueId, (q, floor) -> KeyCodec.compare(key, floor) < 0 ? key : floor);
            floorRaises.computeIfPresent(queueId, (q, floor) -> KeyCodec.compare(key, floor) < 0 ? key : floor);
        }

        @Override
        void checkUsable() {
            if (released) {
                throw new IllegalStateException("txn is closed");
            }
            if (committed) {
                throw new IllegalStateException("txn is already committed");
            }
        }

        @Override
        byte[] get(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
            return batch.getFromBatchAndDB(db, cf, readOptions, key);
        }

        @Override
        ReadOptions newScanOptions() {
            return new ReadOptions();
        }

        @Override
        RocksIterator iterator(ColumnFamilyHandle cf, ReadOptions options) {
            // the merged iterator owns (and closes) the base iterator
            return batch.newIteratorWithBase(cf, db.newIterator(cf, options), options);
        }

        private void write(RocksCall<Void> op) {
            call(op);
        }

        @Override
        public void putQueue(QueueRecord queue) {
            write(() -> {
                batch.put(queuesCf, KeyCodec.utf8(queue.name()), RecordCodec.encodeQueue(queue));
                return null;
            });
        }

        @Override
        public void deleteQueue(String name) {
            write(() -> {
                batch.delete(queuesCf, KeyCodec.utf8(name));
                return null;
            });
        }

        @Override
        public void putMessage(MessageRecord message) {
            write(() -> {
                batch.put(messagesCf, KeyCodec.messageKey(message.queueId(), message.seq()),
                        RecordCodec.encodeMessage(message));
                return null;
            });
        }

        @Override
        public void putPayload(long queueId, long seq, io.pontoon.core.queue.MessagePayload payload) {
            write(() -> {
                batch.put(payloadsCf, KeyCodec.messageKey(queueId, seq), RecordCodec.encodePayload(payload));
                return null;
            });
        }

        /**
         * A payload is written exactly once (putPayload, when its message is stored; (queue incarnation, seq) is never
         * reused) and deleted once, so its delete is a SingleDelete: a flush or compaction that meets both drops both.
         * A message received and deleted within one memtable's life then writes no payload byte to disk at all, where a
         * plain tombstone would carry it to L0 and be compacted down every level. The message record is rewritten on
         * each receive, so it keeps a plain Delete (SingleDelete after two Puts is undefined).
         */
        @Override
        public void deleteMessage(long queueId, long seq) {
            write(() -> {
                batch.delete(messagesCf, KeyCodec.messageKey(queueId, seq));
                batch.singleDelete(payloadsCf, KeyCodec.messageKey(queueId, seq));
                return null;
            });
        }

        @Override
        public void putVisibility(long queueId, VisibilityEntry entry) {
            write(() -> {
                byte[] key = KeyCodec.visibilityKey(queueId, entry.visibleAtMs(), entry.seq());
                lowerFloor(queueId, key);
                batch.put(visibilityCf, key, KeyCodec.visibilityValue(entry.received()));
                return null;
            });
        }

        @Override
        public void deleteVisibility(long queueId, VisibilityEntry entry) {
            write(() -> {
                batch.delete(visibilityCf, KeyCodec.visibilityKey(queueId, entry.visibleAtMs(), entry.seq()));
                return null;
            });
        }

        /**
         * WriteBatchWithIndex cannot index a DeleteRange, so the two range tombstones are appended to the
         * underlying WriteBatch directly: they are written at commit in their place in the op sequence (so a put
         * of that incarnation earlier in this txn is dropped too), but reads through this txn do not see them,
         * which the contract allows (the core never reads a dropped incarnation again).
         */
        @Override
        public void dropMessages(long queueId) {
            write(() -> {
                byte[] from = KeyCodec.queuePrefix(queueId);
                byte[] to = KeyCodec.queueRangeEnd(queueId);
                try (WriteBatch raw = batch.getWriteBatch()) { // a non-owning view of the batch's rep
                    raw.deleteRange(messagesCf, from, to);
                    raw.deleteRange(payloadsCf, from, to);
                    raw.deleteRange(visibilityCf, from, to);
                }
                return null;
            });
        }

        // ---- stream model

        @Override
        public void putShard(ShardRecord shard) {
            write(() -> {
                batch.put(streamIndexCf, KeyCodec.shardKey(shard.uid()), StreamCodec.encodeShard(shard));
                return null;
            });
        }

        /** Range tombstones over the shard's log, time marks and leases (see {@link #dropMessages} on their visibility). */
        @Override
        public void deleteShard(long uid) {
            write(() -> {
                batch.delete(streamIndexCf, KeyCodec.shardKey(uid));
                try (WriteBatch raw = batch.getWriteBatch()) { // a non-owning view of the batch's rep
                    raw.deleteRange(streamRecordsCf, KeyCodec.queuePrefix(uid), KeyCodec.queueRangeEnd(uid));
                    for (byte table : new byte[] {KeyCodec.STREAM_TIME, KeyCodec.STREAM_LEASE}) {
                        byte[] p = KeyCodec.shardTablePrefix(table, uid);
                        raw.deleteRange(streamIndexCf, p, KeyCodec.successor(p));
                    }
                }
                return null;
            });
        }

        @Override
        public void putRecord(long uid, StoredRecord record) {
            write(() -> {
                batch.put(streamRecordsCf, KeyCodec.recordKey(uid, record.seq()), StreamCodec.encodeRecord(record));
                return null;
            });
        }

        @Override
        public void putTimeMark(long uid, long arrivalMs, long seq) {
            write(() -> {
                batch.put(streamIndexCf, KeyCodec.timeMarkKey(uid, arrivalMs), KeyCodec.longValue(seq));
                return null;
            });
        }

        /** Two range tombstones, whatever the number of records: retention costs the same for a thousand or a billion. */
        @Override
        public void trimRecords(long uid, long belowSeq, long beforeMs) {
            write(() -> {
                try (WriteBatch raw = batch.getWriteBatch()) { // a non-owning view of the batch's rep
                    raw.deleteRange(streamRecordsCf, KeyCodec.recordKey(uid, Long.MIN_VALUE), KeyCodec.recordKey(uid, belowSeq));
                    raw.deleteRange(streamIndexCf, KeyCodec.timeMarkKey(uid, Long.MIN_VALUE), KeyCodec.timeMarkKey(uid, beforeMs));
                }
                return null;
            });
        }

        @Override
        public void putLease(Lease lease) {
            write(() -> {
                batch.put(streamIndexCf, KeyCodec.leaseKey(lease.shardUid(), lease.application()), StreamCodec.encodeLease(lease));
                return null;
            });
        }

        @Override
        public void putAux(AuxTable table, byte[] key, byte[] value) {
            Objects.requireNonNull(value, "value");
            write(() -> {
                batch.put(auxCf, KeyCodec.auxKey(table, key), value);
                return null;
            });
        }

        @Override
        public void deleteAux(AuxTable table, byte[] key) {
            write(() -> {
                batch.delete(auxCf, KeyCodec.auxKey(table, key));
                return null;
            });
        }

        /**
         * One range tombstone over the prefix, appended to the underlying WriteBatch for the same reason as in
         * {@link #dropMessages}: ordered among the txn's ops at commit, invisible to reads through this txn
         * (which the contract allows).
         */
        @Override
        public void dropAux(AuxTable table, byte[] prefix) {
            write(() -> {
                try (WriteBatch raw = batch.getWriteBatch()) { // a non-owning view of the batch's rep
                    raw.deleteRange(auxCf, KeyCodec.auxKey(table, prefix), KeyCodec.auxRangeEnd(table, prefix));
                }
                return null;
            });
        }

        @Override
        public void putRegistryRecord(String key, byte[] value) {
            Objects.requireNonNull(value, "value");
            write(() -> {
                batch.put(registryCf, KeyCodec.utf8(key), value);
                return null;
            });
        }

        @Override
        public void deleteRegistryRecord(String key) {
            write(() -> {
                batch.delete(registryCf, KeyCodec.utf8(key));
                return null;
            });
        }

        @Override
        public void commit(PartitionMeta newMeta) {
            Objects.requireNonNull(newMeta, "meta");
            write(() -> {
                batch.put(metaCf, KeyCodec.META_KEY, RecordCodec.encodeMeta(newMeta));
                db.write(writeOptions, batch); // data + meta: one atomic batch, WAL off
                committed = true;
                meta = newMeta;
                visibilityFloors.putAll(floorRaises);
                return null;
            });
        }

        void release() {
            if (!released) {
                released = true;
                batch.close();
                readOptions.close();
            }
        }

        @Override
        public void close() {
            Lock lock = lifecycle.readLock();
            lock.lock();
            try {
                if (!closed && openTxn.compareAndSet(this, null)) {
                    release();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
