package io.pontoon.client;

import io.grpc.Status;
import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.BatchResultErrorEntry;
import io.pontoon.api.v1.MessageAttributeValue;
import io.pontoon.api.v1.SendMessageBatchRequest;
import io.pontoon.api.v1.SendMessageBatchRequestEntry;
import io.pontoon.api.v1.SendMessageBatchResponse;
import io.pontoon.api.v1.SendMessageBatchResultEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Coalesces concurrent sends to the same queue into {@code SendMessageBatch} calls.
 *
 * <ul>
 *   <li>A batch holds at most {@code maxBatchEntries} (≤10) entries and {@code maxBatchBytes}
 *       (≤1 MiB, counting body and attribute names, types and values as SQS does). It is sent when
 *       full or {@code lingerMs} after its first entry was added.</li>
 *   <li>At most {@code maxInFlightBatches} batches are in flight at once (over all queues); sealed
 *       batches beyond that wait in order. For FIFO queues ({@code .fifo}) at most one batch per
 *       queue is in flight, so batches are sent in send order.</li>
 *   <li>Backpressure: messages buffered or in flight are bounded by {@code maxBufferedMessages} and
 *       {@code maxBufferedBytes}. When full, {@link Backpressure#BLOCK} makes {@code send} block
 *       up to {@code blockTimeoutMs} (then the returned future fails with {@code ProducerBufferFull});
 *       {@link Backpressure#FAIL_FAST} fails the returned future at once.</li>
 *   <li>Each batch call uses the client's retries; at-least-once: a retried batch may duplicate
 *       messages. Per-entry failures fail only that entry's future (a {@link PontoonException}
 *       with the entry's AWS code).</li>
 *   <li>{@link #close()} sends everything buffered and waits for in-flight batches.</li>
 * </ul>
 */
public final class BatchingProducer implements AutoCloseable {
    /** SQS limit on entries per batch. */
    public static final int MAX_ENTRIES = 10;
    /** SQS limit on the total payload of a batch. */
    public static final int MAX_BATCH_BYTES = 1024 * 1024;
    /** AWS code of the failure when the producer's buffer is full. */
    public static final String PRODUCER_BUFFER_FULL = "ProducerBufferFull";

    public enum Backpressure { BLOCK, FAIL_FAST }

    private final PontoonClient client;
    private final long lingerMs;
    private final int maxBatchEntries;
    private final int maxBatchBytes;
    private final int maxInFlightBatches;
    private final Backpressure backpressure;
    private final long blockTimeoutMs;
    private final Semaphore messagePermits;
    private final Semaphore bytePermits;
    private final int maxBufferedBytes;

    private final Object lock = new Object();
    private final Map<String, Batch> open = new HashMap<>();
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private final Set<String> fifoBusy = new HashSet<>();
    private final Set<Batch> inFlight = new HashSet<>();
    private boolean closed;

    private final ScheduledExecutorService timer;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    private static final class Pending {
        final SendMessageBatchRequestEntry entry;
        final int bytes;
        final CompletableFuture<SendResult> future = new CompletableFuture<>();

        Pending(SendMessageBatchRequestEntry entry, int bytes) {
            this.entry = entry;
            this.bytes = bytes;
        }
    }

    private static final class Batch {
        final String queueUrl;
        final boolean fifo;
        final List<Pending> entries = new ArrayList<>();
        int bytes;
        ScheduledFuture<?> lingerTask;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Batch(String queueUrl) {
            this.queueUrl = queueUrl;
            this.fifo = queueUrl.endsWith(".fifo");
        }
    }

    private BatchingProducer(Builder b) {
        this.client = b.client;
        this.lingerMs = b.lingerMs;
        this.maxBatchEntries = b.maxBatchEntries;
        this.maxBatchBytes = b.maxBatchBytes;
        this.maxInFlightBatches = b.maxInFlightBatches;
        this.backpressure = b.backpressure;
        this.blockTimeoutMs = b.blockTimeoutMs;
        this.messagePermits = new Semaphore(b.maxBufferedMessages);
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.bytePermits = new Semaphore(b.maxBufferedBytes);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pontoon-producer-linger");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(PontoonClient client) {
        return new Builder(client);
    }

    /** Sends a message with a body and optional attributes (may be null). */
    public CompletableFuture<SendResult> send(String queueUrl, String body, Map<String, MessageAttributeValue> attributes) {
        SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.newBuilder().setMessageBody(body);
        if (attributes != null) e.putAllMessageAttributes(attributes);
        return send(queueUrl, e.build());
    }

    public CompletableFuture<SendResult> send(String queueUrl, String body) {
        return send(queueUrl, body, null);
    }

    /**
     * Sends a message described by a batch entry (delay, attributes, FIFO group/dedup ids); its
     * {@code id} is ignored and assigned by the producer.
     */
    public CompletableFuture<SendResult> send(String queueUrl, SendMessageBatchRequestEntry entry) {
        try {
            QueueUrls.nameOf(queueUrl);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(
                    new PontoonException(Status.Code.INVALID_ARGUMENT, AwsErrorCodes.INVALID_ADDRESS, e.getMessage(), true));
        }
        int bytes = entrySize(entry);
        int permitBytes = Math.min(bytes, maxBufferedBytes);
        synchronized (lock) {
            if (closed) return CompletableFuture.failedFuture(closedException());
        }
        if (!acquire(permitBytes)) {
            return CompletableFuture.failedFuture(new PontoonException(Status.Code.RESOURCE_EXHAUSTED, PRODUCER_BUFFER_FULL,
                    "producer buffer full (" + backpressure + ")", false));
        }
        Pending p = new Pending(entry, bytes);
        p.future.whenComplete((r, t) -> {
            messagePermits.release();
            bytePermits.release(permitBytes);
        });
        synchronized (lock) {
            if (closed) {
                p.future.completeExceptionally(closedException());
                return p.future;
            }
            Batch batch = open.get(queueUrl);
            if (batch != null && !batch.entries.isEmpty() && batch.bytes + bytes > maxBatchBytes) {
                seal(batch);
                batch = null;
            }
            if (batch == null) {
                batch = new Batch(queueUrl);
                open.put(queueUrl, batch);
                Batch b = batch;
                batch.lingerTask = timer.schedule(() -> lingerExpired(b), lingerMs, TimeUnit.MILLISECONDS);
            }
            batch.entries.add(p);
            batch.bytes += bytes;
            if (batch.entries.size() >= maxBatchEntries || batch.bytes >= maxBatchBytes) {
                seal(batch);
            }
        }
        return p.future;
    }

    private boolean acquire(int bytes) {
        try {
            if (backpressure == Backpressure.FAIL_FAST) {
                if (!messagePermits.tryAcquire()) return false;
                if (!bytePermits.tryAcquire(bytes)) {
                    messagePermits.release();
                    return false;
                }
                return true;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(blockTimeoutMs);
            if (!messagePermits.tryAcquire(blockTimeoutMs, TimeUnit.MILLISECONDS)) return false;
            if (!bytePermits.tryAcquire(bytes, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                messagePermits.release();
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Size of an entry as SQS counts it: body + each attribute's name, data type and value. */
    static int entrySize(SendMessageBatchRequestEntry e) {
        long size = e.getMessageBody().getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> a : e.getMessageAttributesMap().entrySet()) {
            size += a.getKey().getBytes(StandardCharsets.UTF_8).length;
            MessageAttributeValue v = a.getValue();
            size += v.getDataType().getBytes(StandardCharsets.UTF_8).length;
            size += v.getStringValue().getBytes(StandardCharsets.UTF_8).length + v.getBinaryValue().size();
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private void lingerExpired(Batch batch) {
        synchronized (lock) {
            if (open.get(batch.queueUrl) == batch) seal(batch);
        }
    }

    /** Moves an open batch to the ready queue and dispatches what the window allows. Holds lock. */
    private void seal(Batch batch) {
        if (open.get(batch.queueUrl) == batch) open.remove(batch.queueUrl);
        if (batch.lingerTask != null) batch.lingerTask.cancel(false);
        ready.addLast(batch);
        dispatch();
    }

    /** Holds lock. */
    private void dispatch() {
        Iterator<Batch> it = ready.iterator();
        while (it.hasNext() && inFlight.size() < maxInFlightBatches) {
            Batch b = it.next();
            if (b.fifo && fifoBusy.contains(b.queueUrl)) continue;
            it.remove();
            inFlight.add(b);
            if (b.fifo) fifoBusy.add(b.queueUrl);
            senders.execute(() -> sendBatch(b));
        }
    }

    private void sendBatch(Batch b) {
        try {
            SendMessageBatchRequest.Builder req = SendMessageBatchRequest.newBuilder().setQueueUrl(b.queueUrl);
            for (int i = 0; i < b.entries.size(); i++) {
                req.addEntries(b.entries.get(i).entry.toBuilder().setId(Integer.toString(i)));
            }
            SendMessageBatchResponse resp = client.sendMessageBatch(req.build());
            for (SendMessageBatchResultEntry ok : resp.getSuccessfulList()) {
                Pending p = byId(b, ok.getId());
                if (p != null) {
                    p.future.complete(new SendResult(ok.getMessageId(), ok.getMd5OfMessageBody(),
                            ok.getMd5OfMessageAttributes(), ok.getSequenceNumber()));
                }
            }
            for (BatchResultErrorEntry err : resp.getFailedList()) {
                Pending p = byId(b, err.getId());
                if (p != null) {
                    p.future.completeExceptionally(new PontoonException(AwsErrorCodes.statusFor(err.getCode()),
                            err.getCode(), err.getMessage(), err.getSenderFault()));
                }
            }
            for (Pending p : b.entries) {
                p.future.completeExceptionally(new PontoonException(Status.Code.INTERNAL, AwsErrorCodes.INTERNAL_FAILURE,
                        "server returned no result for batch entry", false));
            }
        } catch (Throwable t) {
            PontoonException e = PontoonException.from(t);
            for (Pending p : b.entries) p.future.completeExceptionally(e);
        } finally {
            synchronized (lock) {
                inFlight.remove(b);
                if (b.fifo) fifoBusy.remove(b.queueUrl);
                dispatch();
            }
            b.done.complete(null);
        }
    }

    private static Pending byId(Batch b, String id) {
        try {
            int i = Integer.parseInt(id);
            return i >= 0 && i < b.entries.size() ? b.entries.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Sends all buffered messages now and waits until every batch sealed so far has completed. */
    public void flush(long timeoutMs) throws TimeoutException {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        synchronized (lock) {
            for (Batch b : new ArrayList<>(open.values())) seal(b);
            for (Batch b : ready) waits.add(b.done);
            for (Batch b : inFlight) waits.add(b.done);
        }
        try {
            CompletableFuture.allOf(waits.toArray(new CompletableFuture[0])).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // batch futures never complete exceptionally
        }
    }

    /** Number of batches currently being sent (for monitoring and tests). */
    public int inFlightBatches() {
        synchronized (lock) {
            return inFlight.size();
        }
    }

    /** Stops accepting sends, flushes everything buffered and waits (up to 30 s) for it to complete. */
    @Override
    public void close() {
        close(30_000);
    }

    public void close(long timeoutMs) {
        synchronized (lock) {
            if (closed) return;
            closed = true;
        }
        try {
            flush(timeoutMs);
        } catch (TimeoutException e) {
            // fall through: fail whatever is left
        }
        timer.shutdownNow();
        senders.shutdown();
        synchronized (lock) {
            for (Batch b : ready) {
                for (Pending p : b.entries) p.future.completeExceptionally(closedException());
            }
            ready.clear();
        }
    }

    private static PontoonException closedException() {
        return new PontoonException(Status.Code.FAILED_PRECONDITION, "ProducerClosed", "producer is closed", true);
    }

    /** Builder; {@link #build()} validates the settings. */
    public static final class Builder {
        private final PontoonClient client;
        private long lingerMs = 5;
        private int maxBatchEntries = MAX_ENTRIES;
        private int maxBatchBytes = MAX_BATCH_BYTES;
        private int maxInFlightBatches = 8;
        private int maxBufferedMessages = 1_000;
        private int maxBufferedBytes = 64 * 1024 * 1024;
        private Backpressure backpressure = Backpressure.BLOCK;
        private long blockTimeoutMs = 30_000;

        private Builder(PontoonClient client) {
            this.client = java.util.Objects.requireNonNull(client, "client");
        }

        public Builder lingerMs(long v) { this.lingerMs = v; return this; }
        public Builder maxBatchEntries(int v) { this.maxBatchEntries = v; return this; }
        public Builder maxBatchBytes(int v) { this.maxBatchBytes = v; return this; }
        public Builder maxInFlightBatches(int v) { this.maxInFlightBatches = v; return this; }
        public Builder maxBufferedMessages(int v) { this.maxBufferedMessages = v; return this; }
        public Builder maxBufferedBytes(int v) { this.maxBufferedBytes = v; return this; }
        public Builder backpressure(Backpressure v) { this.backpressure = java.util.Objects.requireNonNull(v); return this; }
        public Builder blockTimeoutMs(long v) { this.blockTimeoutMs = v; return this; }

        public BatchingProducer build() {
            if (lingerMs < 0) throw new IllegalArgumentException("lingerMs must be >= 0");
            if (maxBatchEntries < 1 || maxBatchEntries > MAX_ENTRIES) {
                throw new IllegalArgumentException("maxBatchEntries must be in 1.." + MAX_ENTRIES);
            }
            if (maxBatchBytes < 1 || maxBatchBytes > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("maxBatchBytes must be in 1.." + MAX_BATCH_BYTES);
            }
            if (maxInFlightBatches < 1) throw new IllegalArgumentException("maxInFlightBatches must be >= 1");
            if (maxBufferedMessages < maxBatchEntries) {
                throw new IllegalArgumentException("maxBufferedMessages must be >= maxBatchEntries");
            }
            if (maxBufferedBytes < maxBatchBytes) throw new IllegalArgumentException("maxBufferedBytes must be >= maxBatchBytes");
            if (blockTimeoutMs < 0) throw new IllegalArgumentException("blockTimeoutMs must be >= 0");
            return new BatchingProducer(this);
        }
    }
}
