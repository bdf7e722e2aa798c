package io.pontoon.client.stream;

import com.google.protobuf.ByteString;
import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.v1.PutRecordsRequest;
import io.pontoon.api.v1.PutRecordsRequestEntry;
import io.pontoon.api.v1.PutRecordsResponse;
import io.pontoon.api.v1.PutRecordsResultEntry;
import io.pontoon.api.v1.StreamShardRoute;
import io.pontoon.client.PontoonException;
import io.pontoon.client.StreamClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Puts records in PutRecords batches, as the Kinesis Producer Library does: records are grouped by the shard their
 * partition key hashes to, each shard has one batch in flight at a time (so a shard's records arrive in the order
 * they were added), and records the stream refused (ProvisionedThroughputExceededException, InternalFailure) are
 * retried with backoff ahead of the shard's later records, until they succeed or their time to live ends. A shard
 * batch holds at most 500 records and 1 MiB, so the server writes it in one log entry: all or none of it.
 *
 * <p>Memory is bounded by bytes: {@link #add} waits while {@code maxBufferedBytes} are buffered.
 */
public final class StreamProducer implements AutoCloseable {
    private static final int MAX_BATCH_RECORDS = 500;
    private static final int MAX_BATCH_BYTES = 1_000_000;

    private final StreamClient streams;
    private final String stream;
    private final long lingerMs;
    private final long recordTtlMs;
    private final long backoffBaseMs;
    private final Semaphore buffered;
    private final ScheduledExecutorService timer;
    private final ExecutorService senders;
    private final Map<String, ShardQueue> queues = new HashMap<>();
    private volatile boolean closed;

    private StreamProducer(Builder b) {
        this.streams = b.streams;
        this.stream = b.stream;
        this.lingerMs = b.lingerMs;
        this.recordTtlMs = b.recordTtlMs;
        this.backoffBaseMs = b.backoffBaseMs;
        this.buffered = new Semaphore(b.maxBufferedBytes);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pontoon-producer-timer"));
        this.senders = Executors.newFixedThreadPool(b.senderThreads, r -> daemon(r, "pontoon-producer-send"));
    }

    public static Builder builder(StreamClient streams, String stream) {
        return new Builder(streams, stream);
    }

    /** A record accepted for sending; the future completes with its shard and sequence number, or its final failure. */
    public CompletableFuture<PutRecordsResultEntry> add(String partitionKey, byte[] data) {
        if (closed) {
            throw new IllegalStateException("producer is closed");
        }
        int weight = weight(partitionKey, data);
        try {
            buffered.acquire(Math.min(weight, Integer.MAX_VALUE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for buffer space", e);
        }
        Pending p = new Pending(partitionKey, data, weight, System.currentTimeMillis());
        String shard = streams.shardFor(stream, StreamClient.hashOf(partitionKey)).map(StreamShardRoute::getShardId).orElse("");
        ShardQueue q;
        synchronized (queues) {
            q = queues.computeIfAbsent(shard, ShardQueue::new);
        }
        q.add(p);
        return p.result;
    }

    public CompletableFuture<PutRecordsResultEntry> add(String partitionKey, String data) {
        return add(partitionKey, data.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until every record added so far has its outcome. */
    public void flush() throws InterruptedException {
        List<CompletableFuture<?>> all = new ArrayList<>();
        synchronized (queues) {
            for (ShardQueue q : queues.values()) {
                all.addAll(q.outstanding());
            }
        }
        for (CompletableFuture<?> f : all) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ignored) {
                // its caller sees the failure
            }
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        timer.shutdownNow();
        senders.shutdownNow();
    }

    private static int weight(String partitionKey, byte[] data) {
        return data.length + partitionKey.length() * 3 + 64;
    }

    /** A record waiting for its outcome. */
    private static final class Pending {
        final String partitionKey;
        final byte[] data;
        final int weight;
        final long addedAtMs;
        final CompletableFuture<PutRecordsResultEntry> result = new CompletableFuture<>();
        int attempts;
        /** Why the last attempt failed, reported when the time to live ends. */
        String lastError = "";

        Pending(String partitionKey, byte[] data, int weight, long addedAtMs) {
            this.partitionKey = partitionKey;
            this.data = data;
            this.weight = weight;
            this.addedAtMs = addedAtMs;
        }
    }

    /** One shard's records, in order, with at most one batch in flight. */
    private final class ShardQueue {
        private final String shardId;
        private final Deque<Pending> waiting = new ArrayDeque<>();
        private final List<Pending> inFlight = new ArrayList<>();
        private boolean sending;
        private boolean scheduled;

        ShardQueue(String shardId) {
            this.shardId = shardId;
        }

        synchronized void add(Pending p) {
            waiting.addLast(p);
            if (!sending && !scheduled) {
                scheduled = true;
                timer.schedule(this::send, lingerMs, TimeUnit.MILLISECONDS);
            }
        }

        synchronized List<CompletableFuture<?>> outstanding() {
            List<CompletableFuture<?>> out = new ArrayList<>();
            waiting.forEach(p -> out.add(p.result));
            inFlight.forEach(p -> out.add(p.result));
            return out;
        }

        private void send() {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                scheduled = false;
                if (sending || waiting.isEmpty()) {
                    return;
                }
                long bytes = 0;
                while (!waiting.isEmpty() && batch.size() < MAX_BATCH_RECORDS && (batch.isEmpty() || bytes + waiting.peekFirst().weight <= MAX_BATCH_BYTES)) {
                    Pending p = waiting.pollFirst();
                    bytes += p.weight;
                    batch.add(p);
                }
                sending = true;
                inFlight.addAll(batch);
            }
            senders.execute(() -> put(batch));
        }

        private void put(List<Pending> batch) {
            PutRecordsRequest.Builder req = PutRecordsRequest.newBuilder().setStreamName(stream);
            for (Pending p : batch) {
                req.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey(p.partitionKey).setData(ByteString.copyFrom(p.data)));
            }
            List<Pending> retry = new ArrayList<>();
            try {
                PutRecordsResponse r = streams.putRecords(req.build());
                for (int i = 0; i < batch.size(); i++) {
                    PutRecordsResultEntry e = r.getRecords(i);
                    if (e.getErrorCode().isEmpty()) {
                        done(batch.get(i), e, null);
                    } else {
                        batch.get(i).lastError = e.getErrorCode() + ": " + e.getErrorMessage();
                        retry.add(batch.get(i));
                    }
                }
            } catch (PontoonException e) {
                if (e.isRetryable() || e.isOutcomeUnknown()) { // at least once: a record whose put may have happened is sent again
                    batch.forEach(p -> p.lastError = e.getMessage());
                    retry.addAll(batch);
                } else {
                    batch.forEach(p -> done(p, null, e));
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> done(p, null, e));
            }
            finish(batch, retry);
        }

        /** The batch is answered: failed records go back to the front (in order), and the next batch goes after a backoff if any failed. */
        private void finish(List<Pending> batch, List<Pending> retry) {
            long now = System.currentTimeMillis();
            List<Pending> again = new ArrayList<>();
            for (Pending p : retry) {
                p.attempts++;
                if (now - p.addedAtMs > recordTtlMs) {
                    done(p, null, new PontoonException(io.grpc.Status.Code.DEADLINE_EXCEEDED, AwsErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED,
                            "the record was not accepted within its time to live of " + recordTtlMs + " ms (" + p.attempts
                                    + " attempts; last: " + p.lastError + ")", false));
                } else {
                    again.add(p);
                }
            }
            long delay;
            synchronized (this) {
                inFlight.clear();
                for (int i = again.size() - 1; i >= 0; i--) {
                    waiting.addFirst(again.get(i));
                }
                sending = false;
                if (waiting.isEmpty()) {
                    return;
                }
                scheduled = true;
                int attempts = again.isEmpty() ? 0 : again.get(0).attempts;
                delay = attempts == 0 ? 0 : Math.min(5_000, backoffBaseMs << Math.min(attempts - 1, 10));
            }
            if (!again.isEmpty()) {
                streams.forget(stream); // a refused record may mean the shard was split: look the routes up again
            }
            timer.schedule(this::send, delay, TimeUnit.MILLISECONDS);
        }

        private void done(Pending p, PutRecordsResultEntry ok, Throwable failure) {
            buffered.release(p.weight);
            if (failure != null) {
                p.result.completeExceptionally(failure);
            } else {
                p.result.complete(ok);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Builder; defaults: 64 MiB buffered, 5 ms linger, 30 s time to live, 100 ms base backoff, 8 sender threads. */
    public static final class Builder {
        private final StreamClient streams;
        private final String stream;
        private int maxBufferedBytes = 64 << 20;
        private long lingerMs = 5;
        private long recordTtlMs = 30_000;
        private long backoffBaseMs = 100;
        private int senderThreads = 8;

        private Builder(StreamClient streams, String stream) {
            this.streams = streams;
            this.stream = stream;
        }

        public Builder maxBufferedBytes(int v) { this.maxBufferedBytes = v; return this; }
        public Builder lingerMs(long v) { this.lingerMs = v; return this; }
        public Builder recordTtlMs(long v) { this.recordTtlMs = v; return this; }
        public Builder backoffBaseMs(long v) { this.backoffBaseMs = v; return this; }
        public Builder senderThreads(int v) { this.senderThreads = v; return this; }

        public StreamProducer build() {
            if (maxBufferedBytes < (2 << 20) || lingerMs < 0 || recordTtlMs < 1 || backoffBaseMs < 1 || senderThreads < 1) {
                throw new IllegalArgumentException("maxBufferedBytes >= 2 MiB, lingerMs >= 0, recordTtlMs >= 1, backoffBaseMs >= 1, senderThreads >= 1");
            }
            return new StreamProducer(this);
        }
    }
}
