package io.pontoon.core.partition.memory;

import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.partition.PartitionStore;
import io.pontoon.core.queue.RecordCodec;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.VisibilityEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.pontoon.core.stream.Lease;
import io.pontoon.core.stream.ShardRecord;
import io.pontoon.core.stream.StoredRecord;
import io.pontoon.core.stream.StreamCodec;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PartitionStore} on TreeMaps, for tests of the core and of other modules. It honours the port
 * contract: a txn works on a private copy of the committed state (so it reads its own writes, and closing
 * it without commit discards them), commit swaps the copy in atomically, and views are immutable
 * point-in-time snapshots. Values are stored encoded with {@link RecordCodec}, like the real store.
 * Each txn copies the whole state, so it suits test-sized data only.
 */
public final class InMemoryPartitionStore implements PartitionStore {
    private volatile MemoryState committed;
    private boolean txnOpen;
    private boolean closed;

    public InMemoryPartitionStore() {
        this(MemoryState.empty());
    }

    private InMemoryPartitionStore(MemoryState state) {
        this.committed = state;
    }

    /** Opens the state written by {@link #checkpoint(Path)}. */
    public static InMemoryPartitionStore openCheckpoint(Path dir) {
        try {
            return new InMemoryPartitionStore(MemoryState.deserialize(Files.readAllBytes(dir.resolve(MemoryState.FILE_NAME))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed state as canonical bytes: equal bytes mean equal state (used by determinism tests). */
    public byte[] stateBytes() {
        return committed.serialize();
    }

    @Override
    public PartitionMeta meta() {
        return committed.meta;
    }

    @Override
    public synchronized StoreTxn begin() {
        ensureOpen();
        if (txnOpen) {
            throw new IllegalStateException("a txn is already open");
        }
        txnOpen = true;
        return new Txn(committed.copy());
    }

    @Override
    public StoreView view() {
        ensureOpen();
        return new Reader(committed);
    }

    @Override
    public void flush() {
        ensureOpen();
    }

    @Override
    public void checkpoint(Path target) {
        try {
            Files.createDirectories(target);
            Files.write(target.resolve(MemoryState.FILE_NAME), committed.serialize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    private synchronized void finish(MemoryState newState) {
        if (newState != null) {
            committed = newState;
        }
        txnOpen = false;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Read operations over one immutable (for views) or private (for txns) state. */
    private static class Reader implements StoreView {
        final MemoryState s;

        Reader(MemoryState s) {
            this.s = s;
        }

        @Override
        public Optional<QueueRecord> queue(String name) {
            return Optional.ofNullable(s.queues.get(name)).map(RecordCodec::decodeQueue);
        }

        @Override
        public List<QueueRecord> queues(String namePrefix, String startAfterName, int limit) {
            List<QueueRecord> out = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : s.queues.tailMap(startAfterName, false).entrySet()) {
                if (out.size() >= limit) {
                    break;
                }
                if (e.getKey().startsWith(namePrefix)) {
                    out.add(RecordCodec.decodeQueue(e.getValue()));
                } else if (e.getKey().compareTo(namePrefix) > 0) {
                    break;
                }
            }
            return out;
        }

        @Override
        public Optional<MessageRecord> message(long queueId, long seq) {
            return Optional.ofNullable(s.messages.get(new MemoryState.MsgKey(queueId, seq))).map(RecordCodec::decodeMessage);
        }

        @Override
        public Optional<MessagePayload> payload(long queueId, long seq) {
            return Optional.ofNullable(s.payloads.get(new MemoryState.MsgKey(queueId, seq))).map(RecordCodec::decodePayload);
        }

        @Override
        public List<VisibilityEntry> dueUpTo(long queueId, long maxVisibleAtMs, int limit) {
            List<VisibilityEntry> out = new ArrayList<>();
            for (Map.Entry<MemoryState.VisKey, Boolean> e : s.visibility.subMap(
                    new MemoryState.VisKey(queueId, Long.MIN_VALUE, Long.MIN_VALUE), true,
                    new MemoryState.VisKey(queueId, maxVisibleAtMs, Long.MAX_VALUE), true).entrySet()) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(new VisibilityEntry(e.getKey().visibleAtMs(), e.getKey().seq(), e.getValue()));
            }
            return out;
        }

        @Override
        public NotVisibleCounts countNotVisible(long queueId, long nowMs, long cap) {
            long delayed = 0, inFlight = 0;
            for (Map.Entry<MemoryState.VisKey, Boolean> e : s.visibility.subMap(
                    new MemoryState.VisKey(queueId, nowMs, Long.MAX_VALUE), false,
                    new MemoryState.VisKey(queueId, Long.MAX_VALUE, Long.MAX_VALUE), true).entrySet()) {
                if (delayed + inFlight >= cap) {
                    break;
                }
                if (e.getValue()) {
                    inFlight++;
                } else {
                    delayed++;
                }
            }
            return new NotVisibleCounts(delayed, inFlight);
        }

        @Override
        public List<MessageRecord> messagesFrom(long queueId, long fromSeq, int limit) {
            List<MessageRecord> out = new ArrayList<>();
            for (byte[] v : s.messages.subMap(new MemoryState.MsgKey(queueId, fromSeq), true,
                    new MemoryState.MsgKey(queueId, Long.MAX_VALUE), true).values()) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(RecordCodec.decodeMessage(v));
            }
            return out;
        }

        @Override
        public Optional<byte[]> aux(AuxTable table, byte[] key) {
            return Optional.ofNullable(s.aux.get(new MemoryState.AuxKey(table.id(), key))).map(byte[]::clone);
        }

        @Override
        public List<AuxEntry> auxRange(AuxTable table, byte[] prefix, byte[] startAfter, int limit) {
            List<AuxEntry> out = new ArrayList<>();
            boolean fromPrefix = startAfter == null || java.util.Arrays.compareUnsigned(startAfter, prefix) < 0;
            MemoryState.AuxKey from = new MemoryState.AuxKey(table.id(), fromPrefix ? prefix : startAfter);
            for (Map.Entry<MemoryState.AuxKey, byte[]> e : s.aux.tailMap(from, fromPrefix).entrySet()) {
                byte[] key = e.getKey().key();
                if (out.size() >= limit || e.getKey().table() != table.id() || !startsWith(key, prefix)) {
                    break;
                }
                out.add(new AuxEntry(key.clone(), e.getValue().clone()));
            }
            return out;
        }

        @Override
        public Optional<byte[]> registryRecord(String key) {
            return Optional.ofNullable(s.registry.get(key)).map(byte[]::clone);
        }

        @Override
        public List<Map.Entry<String, byte[]>> registryRecords(String prefix, String startAfterKey, int limit) {
            List<Map.Entry<String, byte[]>> out = new ArrayList<>();
            String from = startAfterKey.compareTo(prefix) < 0 ? prefix : startAfterKey;
            boolean inclusive = startAfterKey.compareTo(prefix) < 0;
            for (Map.Entry<String, byte[]> e : s.registry.tailMap(from, inclusive).entrySet()) {
                if (out.size() >= limit || !e.getKey().startsWith(prefix)) {
                    break;
                }
                out.add(Map.entry(e.getKey(), e.getValue().clone()));
            }
            return out;
        }

        @Override
        public Optional<ShardRecord> shard(long uid) {
            return Optional.ofNullable(s.shards.get(uid)).map(StreamCodec::decodeShard);
        }

        @Override
        public List<ShardRecord> shards(long afterUid, int limit) {
            return s.shards.tailMap(afterUid, false).values().stream().limit(limit).map(StreamCodec::decodeShard).toList();
        }

        @Override
        public List<StoredRecord> records(long uid, long fromSeq, int limit, long maxBytes) {
            List<StoredRecord> out = new ArrayList<>();
            long bytes = 0;
            for (Map.Entry<MemoryState.MsgKey, byte[]> e : s.records.subMap(new MemoryState.MsgKey(uid, fromSeq), true,
                    new MemoryState.MsgKey(uid, Long.MAX_VALUE), true).entrySet()) {
                StoredRecord r = StreamCodec.decodeRecord(e.getKey().seq(), e.getValue());
                bytes += r.weight();
                if (out.size() >= limit || (!out.isEmpty() && bytes > maxBytes)) {
                    break;
                }
                out.add(r);
            }
            return out;
        }

        @Override
        public java.util.OptionalLong seqAtOrAfter(long uid, long timestampMs) {
            Map.Entry<MemoryState.MsgKey, Long> e = s.timeMarks.ceilingEntry(new MemoryState.MsgKey(uid, timestampMs));
            return e == null || e.getKey().queueId() != uid ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(e.getValue());
        }

        @Override
        public Optional<Lease> lease(long uid, String application) {
            return Optional.ofNullable(s.leases.get(new MemoryState.LeaseKey(uid, application))).map(StreamCodec::decodeLease);
        }

        @Override
        public void close() {
        }
    }

    private final class Txn extends Reader implements StoreTxn {
        private boolean done;

        Txn(MemoryState privateCopy) {
            super(privateCopy);
        }

        @Override
        public void putQueue(QueueRecord queue) {
            s.queues.put(queue.name(), RecordCodec.encodeQueue(queue));
        }

        @Override
        public void deleteQueue(String name) {
            s.queues.remove(name);
        }

        @Override
        public void putMessage(MessageRecord message) {
            s.messages.put(new MemoryState.MsgKey(message.queueId(), message.seq()), RecordCodec.encodeMessage(message));
        }

        @Override
        public void putPayload(long queueId, long seq, MessagePayload payload) {
            s.payloads.put(new MemoryState.MsgKey(queueId, seq), RecordCodec.encodePayload(payload));
        }

        @Override
        public void deleteMessage(long queueId, long seq) {
            s.messages.remove(new MemoryState.MsgKey(queueId, seq));
            s.payloads.remove(new MemoryState.MsgKey(queueId, seq));
        }

        @Override
        public void putVisibility(long queueId, VisibilityEntry entry) {
            s.visibility.put(new MemoryState.VisKey(queueId, entry.visibleAtMs(), entry.seq()), entry.received());
        }

        @Override
        public void deleteVisibility(long queueId, VisibilityEntry entry) {
            s.visibility.remove(new MemoryState.VisKey(queueId, entry.visibleAtMs(), entry.seq()));
        }

        @Override
        public void dropMessages(long queueId) {
            s.messages.subMap(new MemoryState.MsgKey(queueId, Long.MIN_VALUE), true, new MemoryState.MsgKey(queueId, Long.MAX_VALUE), true).clear();
            s.payloads.subMap(new MemoryState.MsgKey(queueId, Long.MIN_VALUE), true, new MemoryState.MsgKey(queueId, Long.MAX_VALUE), true).clear();
            s.visibility.subMap(new MemoryState.VisKey(queueId, Long.MIN_VALUE, Long.MIN_VALUE), true,
                    new MemoryState.VisKey(queueId, Long.MAX_VALUE, Long.MAX_VALUE), true).clear();
        }

        @Override
        public void putShard(ShardRecord shard) {
            s.shards.put(shard.uid(), StreamCodec.encodeShard(shard));
        }

        @Override
        public void deleteShard(long uid) {
            s.shards.remove(uid);
            s.records.subMap(new MemoryState.MsgKey(uid, Long.MIN_VALUE), true, new MemoryState.MsgKey(uid, Long.MAX_VALUE), true).clear();
            s.timeMarks.subMap(new MemoryState.MsgKey(uid, Long.MIN_VALUE), true, new MemoryState.MsgKey(uid, Long.MAX_VALUE), true).clear();
            s.leases.subMap(new MemoryState.LeaseKey(uid, ""), true, new MemoryState.LeaseKey(uid + 1, ""), false).clear();
        }

        @Override
        public void putRecord(long uid, StoredRecord record) {
            s.records.put(new MemoryState.MsgKey(uid, record.seq()), StreamCodec.encodeRecord(record));
        }

        @Override
        public void putTimeMark(long uid, long arrivalMs, long seq) {
            s.timeMarks.put(new MemoryState.MsgKey(uid, arrivalMs), seq);
        }

        @Override
        public void trimRecords(long uid, long belowSeq, long beforeMs) {
            s.records.subMap(new MemoryState.MsgKey(uid, Long.MIN_VALUE), true, new MemoryState.MsgKey(uid, belowSeq), false).clear();
            s.timeMarks.subMap(new MemoryState.MsgKey(uid, Long.MIN_VALUE), true, new MemoryState.MsgKey(uid, beforeMs), false).clear();
        }

        @Override
        public void putLease(Lease lease) {
            s.leases.put(new MemoryState.LeaseKey(lease.shardUid(), lease.application()), StreamCodec.encodeLease(lease));
        }

        @Override
        public void putAux(AuxTable table, byte[] key, byte[] value) {
            s.aux.put(new MemoryState.AuxKey(table.id(), key.clone()), value.clone());
        }

        @Override
        public void deleteAux(AuxTable table, byte[] key) {
            s.aux.remove(new MemoryState.AuxKey(table.id(), key));
        }

        @Override
        public void dropAux(AuxTable table, byte[] prefix) {
            s.aux.keySet().removeIf(k -> k.table() == table.id() && startsWith(k.key(), prefix));
        }

        @Override
        public void putRegistryRecord(String key, byte[] value) {
            s.registry.put(key, value.clone());
        }

        @Override
        public void deleteRegistryRecord(String key) {
            s.registry.remove(key);
        }

        @Override
        public void commit(PartitionMeta meta) {
            if (done) {
                throw new IllegalStateException("txn already finished");
            }
            done = true;
            s.meta = meta;
            finish(s);
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                finish(null);
            }
        }
    }
}
