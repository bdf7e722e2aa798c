package io.pontoon.client.stream;

import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.v1.GetRecordsResponse;
import io.pontoon.api.v1.Lease;
import io.pontoon.api.v1.Record;
import io.pontoon.api.v1.Shard;
import io.pontoon.api.v1.UpdateLeaseRequest;
import io.pontoon.api.v1.UpdateLeaseResponse;
import io.pontoon.client.PontoonException;
import io.pontoon.client.StreamClient;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Consumes a stream across worker processes, as the Kinesis Client Library does, with its lease table kept in Pontoon
 * itself (replicated with each shard; no external database). Each shard has a lease per application; a worker holds
 * the leases of the shards it processes and renews them; a lease whose holder stops renewing expires and another
 * worker takes it, resuming after the last checkpoint; a worker with fewer than its share takes free leases, or one
 * from a worker holding more than its share. A shard is processed only after its parents (split or merged into it)
 * were processed to their end, so a partition key's records are seen in order across a reshard.
 *
 * <p>Lease writes are conditional on the lease's counter (see {@link StreamClient#updateLease}): two workers can never
 * both hold one shard's lease.
 */
public final class StreamConsumer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamConsumer.class.getName());

    private final StreamClient streams;
    private final String stream;
    private final String application;
    private final String workerId;
    private final Function<String, RecordProcessor> processors;
    private final long leaseDurationMs;
    private final long idlePollMs;
    private final int maxRecords;
    private final ScheduledExecutorService coordinator;
    private final ExecutorService workers;
    private final Map<String, ShardWorker> owned = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private StreamConsumer(Builder b) {
        this.streams = b.streams;
        this.stream = b.stream;
        this.application = b.application;
        this.workerId = b.workerId;
        this.processors = b.processors;
        this.leaseDurationMs = b.leaseDurationMs;
        this.idlePollMs = b.idlePollMs;
        this.maxRecords = b.maxRecords;
        this.coordinator = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pontoon-consumer-" + workerId));
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, "pontoon-consumer-shard-" + workerId));
    }

    public static Builder builder(StreamClient streams, String stream, String application, String workerId, Function<String, RecordProcessor> processors) {
        return new Builder(streams, stream, application, workerId, processors);
    }

    /** Starts balancing leases every third of the lease duration. */
    public StreamConsumer start() {
        long every = Math.max(100, leaseDurationMs / 3);
        coordinator.scheduleWithFixedDelay(this::balance, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The shards this worker holds now. */
    public Set<String> ownedShards() {
        return Set.copyOf(owned.keySet());
    }

    /**
     * Stops at once without releasing this worker's leases, as a crashed worker would: others take them when they
     * expire, and resume after the last checkpoints.
     */
    public void abort() {
        closed = true;
        coordinator.shutdownNow();
        for (ShardWorker w : owned.values()) {
            w.stopped = true;
        }
        workers.shutdownNow();
        owned.clear();
    }

    /** Stops processing and releases this worker's leases (others take them at once, not after they expire). */
    @Override
    public void close() {
        closed = true;
        coordinator.shutdownNow();
        for (ShardWorker w : owned.values()) {
            w.stop(true);
        }
        workers.shutdownNow();
    }

    /** One round: renew what is mine, then take my share of what is free (or steal one from a worker over its share). */
    private void balance() {
        if (closed) {
            return;
        }
        try {
            List<Shard> shards = streams.listShards(stream);
            Map<String, Lease> leases = new HashMap<>();
            for (Lease l : streams.getLeases(stream, application)) {
                leases.put(l.getShardId(), l);
            }
            for (ShardWorker w : owned.values()) {
                w.renew();
            }
            Set<String> eligible = new HashSet<>();
            for (Shard s : shards) {
                Lease l = leases.get(s.getShardId());
                boolean finished = l != null && "SHARD_END".equals(l.getCheckpoint());
                if (!finished && parentsFinished(s, leases)) {
                    eligible.add(s.getShardId());
                }
            }
            Map<String, Integer> holders = new HashMap<>();
            holders.put(workerId, 0);
            for (String id : eligible) {
                Lease l = leases.get(id);
                if (l != null && !l.getOwner().isEmpty() && l.getExpiresInMs() > 0) {
                    holders.merge(l.getOwner(), 1, Integer::sum);
                }
            }
            holders.put(workerId, (int) owned.keySet().stream().filter(eligible::contains).count());
            int target = (eligible.size() + holders.size() - 1) / holders.size();
            for (String id : eligible) {
                if (owned.size() >= target) {
                    break;
                }
                Lease l = leases.get(id);
                boolean free = l == null || l.getOwner().isEmpty() || l.getExpiresInMs() == 0;
                if (free && !owned.containsKey(id)) {
                    take(id, l);
                }
            }
            if (owned.size() < target) {
                stealOne(eligible, leases, holders, target);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "lease round of {0} failed: {1}", workerId, e.toString());
        }
    }

    /** A shard may start once every parent it has was processed to its end. */
    private static boolean parentsFinished(Shard s, Map<String, Lease> leases) {
        for (String p : new String[] {s.getParentShardId(), s.getAdjacentParentShardId()}) {
            if (!p.isEmpty()) {
                Lease l = leases.get(p);
                if (l == null || !"SHARD_END".equals(l.getCheckpoint())) {
                    return false;
                }
            }
        }
        return true;
    }

    private void stealOne(Set<String> eligible, Map<String, Lease> leases, Map<String, Integer> holders, int target) {
        String richest = holders.entrySet().stream().filter(e -> !e.getKey().equals(workerId) && e.getValue() > target)
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        if (richest == null) {
            return;
        }
        eligible.stream().filter(id -> leases.containsKey(id) && richest.equals(leases.get(id).getOwner())).findFirst()
                .ifPresent(id -> take(id, leases.get(id)));
    }

    private void take(String shardId, Lease current) {
        UpdateLeaseResponse r = streams.updateLease(UpdateLeaseRequest.newBuilder().setStreamName(stream).setApplicationName(application)
                .setShardId(shardId).setExpectedOwner(current == null ? "" : current.getOwner()).setExpectedCounter(current == null ? 0 : current.getCounter())
                .setNewOwner(workerId).setDurationMs(leaseDurationMs).build());
        if (r.getApplied()) {
            ShardWorker w = new ShardWorker(shardId, r.getLease());
            owned.put(shardId, w);
            workers.execute(w::run);
        }
    }

    /** One held shard: its lease (counter and checkpoint) and its processing loop. */
    private final class ShardWorker implements RecordProcessor.Checkpointer {
        private final String shardId;
        private final RecordProcessor processor;
        private long counter;
        private String checkpoint;
        private volatile boolean stopped;
        private String lastProcessed;

        ShardWorker(String shardId, Lease lease) {
            this.shardId = shardId;
            this.counter = lease.getCounter();
            this.checkpoint = lease.getCheckpoint().isEmpty() ? null : lease.getCheckpoint();
            this.processor = processors.apply(shardId);
        }

        void run() {
            try {
                processor.initialize(shardId, checkpoint);
                String it = checkpoint == null || checkpoint.equals("TRIM_HORIZON")
                        ? streams.shardIterator(stream, shardId, "TRIM_HORIZON", null)
                        : streams.shardIterator(stream, shardId, "AFTER_SEQUENCE_NUMBER", checkpoint);
                while (!stopped) {
                    GetRecordsResponse r;
                    try {
                        r = streams.getRecords(stream, shardId, it, maxRecords);
                    } catch (PontoonException e) {
                        if (AwsErrorCodes.EXPIRED_ITERATOR.equals(e.awsCode())) {
                            it = lastProcessed != null ? streams.shardIterator(stream, shardId, "AFTER_SEQUENCE_NUMBER", lastProcessed)
                                    : streams.shardIterator(stream, shardId, "TRIM_HORIZON", null);
                            continue;
                        }
                        throw e;
                    }
                    if (r.getRecordsCount() > 0) {
                        processor.process(r.getRecordsList(), this);
                        lastProcessed = r.getRecords(r.getRecordsCount() - 1).getSequenceNumber();
                    }
                    if (r.getNextShardIterator().isEmpty()) {
                        processor.shardEnded(this);
                        write("SHARD_END", null);
                        owned.remove(shardId, this);
                        return;
                    }
                    it = r.getNextShardIterator();
                    if (r.getRecordsCount() == 0 || r.getMillisBehindLatest() == 0) {
                        Thread.sleep(idlePollMs);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "processing of shard {0} by {1} stopped: {2}", shardId, workerId, e.toString());
                stop(true);
            }
        }

        @Override
        public void checkpoint(String sequenceNumber) {
            if (!write(sequenceNumber, workerId)) {
                throw new IllegalStateException("lease of shard " + shardId + " was lost; the checkpoint was not written");
            }
        }

        @Override
        public void checkpoint() {
            if (lastProcessedOrPending() != null) {
                checkpoint(lastProcessedOrPending());
            }
        }

        private String lastProcessedOrPending() {
            return lastProcessed;
        }

        void renew() {
            if (!stopped && !write(null, workerId)) {
                stop(false);
            }
        }

        /** Stops processing; {@code release} gives the lease back (a clean shutdown) instead of letting it expire. */
        void stop(boolean release) {
            if (stopped) {
                return;
            }
            stopped = true;
            owned.remove(shardId, this);
            processor.leaseLost();
            if (release) {
                try {
                    write(null, null);
                } catch (RuntimeException e) {
                    // it expires instead
                }
            }
        }

        /** A conditional write of this lease (checkpoint null keeps it; owner null releases); false when it was lost. */
        private synchronized boolean write(String newCheckpoint, String owner) {
            UpdateLeaseResponse r = streams.updateLease(UpdateLeaseRequest.newBuilder().setStreamName(stream).setApplicationName(application)
                    .setShardId(shardId).setExpectedOwner(workerId).setExpectedCounter(counter).setNewOwner(owner == null ? "" : owner)
                    .setDurationMs(owner == null ? 0 : leaseDurationMs).setCheckpoint(newCheckpoint == null ? "" : newCheckpoint).build());
            if (r.getApplied()) {
                counter = r.getLease().getCounter();
                if (newCheckpoint != null) {
                    checkpoint = newCheckpoint;
                }
                return true;
            }
            return false;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Builder; defaults: leases of 10 s, 200 ms between polls of an idle shard, up to 1,000 records per read. */
    public static final class Builder {
        private final StreamClient streams;
        private final String stream;
        private final String application;
        private final String workerId;
        private final Function<String, RecordProcessor> processors;
        private long leaseDurationMs = 10_000;
        private long idlePollMs = 200;
        private int maxRecords = 1_000;

        private Builder(StreamClient streams, String stream, String application, String workerId, Function<String, RecordProcessor> processors) {
            this.streams = streams;
            this.stream = stream;
            this.application = application;
            this.workerId = workerId;
            this.processors = processors;
        }

        public Builder leaseDurationMs(long v) { this.leaseDurationMs = v; return this; }
        public Builder idlePollMs(long v) { this.idlePollMs = v; return this; }
        public Builder maxRecords(int v) { this.maxRecords = v; return this; }

        public StreamConsumer build() {
            if (leaseDurationMs < 1_000 || leaseDurationMs > 600_000 || idlePollMs < 1 || maxRecords < 1 || maxRecords > 10_000
                    || workerId == null || workerId.isEmpty() || application == null || application.isEmpty()) {
                throw new IllegalArgumentException("leaseDurationMs 1000..600000, idlePollMs >= 1, maxRecords 1..10000, a worker id and an application");
            }
            return new StreamConsumer(this);
        }
    }
}
