package io.pontoon.client;

import io.grpc.Context;
import io.grpc.Status;
import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.BatchResultErrorEntry;
import io.pontoon.api.v1.ChangeMessageVisibilityBatchRequest;
import io.pontoon.api.v1.ChangeMessageVisibilityBatchRequestEntry;
import io.pontoon.api.v1.ChangeMessageVisibilityBatchResponse;
import io.pontoon.api.v1.DeleteMessageBatchRequest;
import io.pontoon.api.v1.DeleteMessageBatchRequestEntry;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.ReceiveMessageRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Long-polling consumer of one queue.
 *
 * <p>{@code threads} poller threads each loop: ReceiveMessage (up to {@code maxMessages} ≤ 10,
 * {@code waitTimeSeconds} ≤ 20, visibility timeout {@code visibilityTimeoutSeconds}), then call the
 * handler for each received message in order on that thread. Messages whose handler returned are
 * deleted with one DeleteMessageBatch per poll. A handler that throws leaves its message for
 * redelivery after the visibility timeout, or, with {@code nackOnFailure(true)}, makes it visible
 * again at once (ChangeMessageVisibility 0).
 *
 * <p>While a message is held (received and neither acknowledged nor released), a background task
 * extends its visibility (ChangeMessageVisibilityBatch to {@code visibilityTimeoutSeconds}) when
 * less than half of it remains, so long handlers do not cause redelivery. Extension stops when the
 * server refuses it (e.g. the 12-hour limit).
 *
 * <p>{@link #stop(long)} stops polling (cancelling open long polls), lets running handlers finish up
 * to the deadline, releases received-but-unstarted messages (visibility 0) and returns. Delivery is
 * at-least-once: a message may be handled more than once (failover, expired visibility, failed
 * delete), so handlers should be idempotent.
 */
public final class QueueConsumer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(QueueConsumer.class.getName());

    private final PontoonClient client;
    private final String queueUrl;
    private final MessageHandler handler;
    private final int threads;
    private final int maxMessages;
    private final int waitTimeSeconds;
    private final int visibilityTimeoutSeconds;
    private final boolean nackOnFailure;
    private final long extendCheckIntervalMs;
    private final long errorBackoffMs;

    private final List<Thread> pollers = new ArrayList<>();
    private final ConcurrentHashMap<Thread, Context.CancellableContext> openPolls = new ConcurrentHashMap<>();
    /** receipt handle → visibility deadline (System.nanoTime) of messages held by this consumer. */
    private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ScheduledExecutorService extender;
    private volatile boolean running;
    private volatile boolean started;

    private QueueConsumer(Builder b) {
        this.client = b.client;
        this.queueUrl = b.queueUrl;
        this.handler = b.handler;
        this.threads = b.threads;
        this.maxMessages = b.maxMessages;
        this.waitTimeSeconds = b.waitTimeSeconds;
        this.visibilityTimeoutSeconds = b.visibilityTimeoutSeconds;
        this.nackOnFailure = b.nackOnFailure;
        this.extendCheckIntervalMs = Math.max(100, Math.min(1_000, visibilityTimeoutSeconds * 1000L / 4));
        this.errorBackoffMs = b.errorBackoffMs;
        this.extender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pontoon-consumer-extender");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(PontoonClient client, String queueUrl, MessageHandler handler) {
        return new Builder(client, queueUrl, handler);
    }

    /** Starts the poller threads. */
    public synchronized QueueConsumer start() {
        if (started) throw new IllegalStateException("already started");
        started = true;
        running = true;
        String name = QueueUrls.nameOf(queueUrl);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::pollLoop, "pontoon-consumer-" + name + "-" + i);
            t.setDaemon(true);
            pollers.add(t);
            t.start();
        }
        extender.scheduleWithFixedDelay(this::extendVisibility, extendCheckIntervalMs, extendCheckIntervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    public boolean isRunning() {
        return running;
    }

    /** Messages whose handler returned normally. */
    public long handledCount() {
        return handled.get();
    }

    /** Messages whose handler threw. */
    public long failedCount() {
        return failed.get();
    }

    private void pollLoop() {
        while (running) {
            List<Message> messages;
            Context.CancellableContext ctx = Context.current().withCancellation();
            openPolls.put(Thread.currentThread(), ctx);
            try {
                if (!running) break;
                messages = ctx.call(() -> client.receiveMessage(ReceiveMessageRequest.newBuilder()
                        .setQueueUrl(queueUrl)
                        .setMaxNumberOfMessages(maxMessages)
                        .setWaitTimeSeconds(waitTimeSeconds)
                        .setVisibilityTimeout(visibilityTimeoutSeconds)
                        .addMessageSystemAttributeNames("All")
                        .addMessageAttributeNames("All")
                        .build()).getMessagesList());
            } catch (Exception e) {
                if (!running) break;
                LOG.log(System.Logger.Level.WARNING, "ReceiveMessage on {0} failed: {1}", queueUrl, e.getMessage());
                sleepQuietly(errorBackoffMs);
                continue;
            } finally {
                openPolls.remove(Thread.currentThread());
                ctx.cancel(null);
            }
            process(messages);
        }
    }

    private void process(List<Message> messages) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(visibilityTimeoutSeconds);
        for (Message m : messages) held.put(m.getReceiptHandle(), deadline);
        List<Message> acked = new ArrayList<>();
        List<Message> nacked = new ArrayList<>();
        int i = 0;
        for (; i < messages.size(); i++) {
            if (!running) break;
            Message m = messages.get(i);
            try {
                handler.handle(m);
                handled.incrementAndGet();
                acked.add(m);
            } catch (Throwable t) {
                failed.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "handler failed for message {0}: {1}", m.getMessageId(), t.toString());
                if (nackOnFailure) nacked.add(m);
                else held.remove(m.getReceiptHandle());
            }
        }
        // Stopped before these were started: give them back right away.
        nacked.addAll(messages.subList(i, messages.size()));
        acknowledge(acked);
        release(nacked);
    }

    private void acknowledge(List<Message> messages) {
        if (messages.isEmpty()) return;
        DeleteMessageBatchRequest.Builder req = DeleteMessageBatchRequest.newBuilder().setQueueUrl(queueUrl);
        for (int i = 0; i < messages.size(); i++) {
            req.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId(Integer.toString(i))
                    .setReceiptHandle(messages.get(i).getReceiptHandle()));
        }
        try {
            var resp = Context.ROOT.call(() -> client.deleteMessageBatch(req.build()));
            for (BatchResultErrorEntry f : resp.getFailedList()) {
                LOG.log(System.Logger.Level.WARNING, "delete of a handled message failed ({0}: {1}); it will be redelivered",
                        f.getCode(), f.getMessage());
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "DeleteMessageBatch on {0} failed: {1}; messages will be redelivered",
                    queueUrl, e.getMessage());
        } finally {
            for (Message m : messages) held.remove(m.getReceiptHandle());
        }
    }

    private void release(List<Message> messages) {
        if (messages.isEmpty()) return;
        try {
            changeVisibility(messages.stream().map(Message::getReceiptHandle).toList(), 0);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "releasing messages failed: {0}", e.getMessage());
        } finally {
            for (Message m : messages) held.remove(m.getReceiptHandle());
        }
    }

    private ChangeMessageVisibilityBatchResponse changeVisibility(List<String> handles, int seconds) throws Exception {
        ChangeMessageVisibilityBatchRequest.Builder req = ChangeMessageVisibilityBatchRequest.newBuilder().setQueueUrl(queueUrl);
        for (int i = 0; i < handles.size(); i++) {
            req.addEntries(ChangeMessageVisibilityBatchRequestEntry.newBuilder().setId(Integer.toString(i))
                    .setReceiptHandle(handles.get(i)).setVisibilityTimeout(seconds));
        }
        return Context.ROOT.call(() -> client.changeMessageVisibilityBatch(req.build()));
    }

    /** Extends the visibility of held messages with less than half their timeout left. */
    void extendVisibility() {
        try {
            long now = System.nanoTime();
            long half = TimeUnit.SECONDS.toNanos(visibilityTimeoutSeconds) / 2;
            List<String> due = new ArrayList<>();
            held.forEach((handle, deadline) -> {
                if (deadline - now < half) due.add(handle);
            });
            for (int from = 0; from < due.size(); from += 10) {
                List<String> chunk = due.subList(from, Math.min(due.size(), from + 10));
                long newDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(visibilityTimeoutSeconds);
                ChangeMessageVisibilityBatchResponse resp;
                try {
                    resp = changeVisibility(chunk, visibilityTimeoutSeconds);
                } catch (PontoonException e) {
                    LOG.log(System.Logger.Level.DEBUG, "visibility extension failed: {0}", e.getMessage());
                    continue; // try again next tick
                }
                for (var ok : resp.getSuccessfulList()) {
                    String handle = chunk.get(Integer.parseInt(ok.getId()));
                    held.computeIfPresent(handle, (h, d) -> newDeadline);
                }
                for (BatchResultErrorEntry f : resp.getFailedList()) {
                    String handle = chunk.get(Integer.parseInt(f.getId()));
                    // Refused (not in flight any more, 12 h limit, ...): stop extending it.
                    held.remove(handle);
                }
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "visibility extender error: {0}", e.toString());
        }
    }

    /**
     * Stops polling, waits up to {@code timeoutMs} for running handlers to finish, then returns.
     *
     * @return true if all poller threads finished within the deadline
     */
    public boolean stop(long timeoutMs) {
        synchronized (this) {
            running = false;
        }
        for (Context.CancellableContext ctx : openPolls.values()) ctx.cancel(null);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean clean = true;
        for (Thread t : pollers) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (left > 0) t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) clean = false;
        }
        extender.shutdownNow();
        return clean;
    }

    /** {@code stop(30_000)}. */
    @Override
    public void close() {
        stop(30_000);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builder; {@link #build()} validates the settings. */
    public static final class Builder {
        private final PontoonClient client;
        private final String queueUrl;
        private final MessageHandler handler;
        private int threads = 1;
        private int maxMessages = 10;
        private int waitTimeSeconds = 20;
        private int visibilityTimeoutSeconds = 30;
        private boolean nackOnFailure;
        private long errorBackoffMs = 1_000;

        private Builder(PontoonClient client, String queueUrl, MessageHandler handler) {
            this.client = Objects.requireNonNull(client, "client");
            this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        public Builder threads(int v) { this.threads = v; return this; }
        public Builder maxMessages(int v) { this.maxMessages = v; return this; }
        public Builder waitTimeSeconds(int v) { this.waitTimeSeconds = v; return this; }
        public Builder visibilityTimeoutSeconds(int v) { this.visibilityTimeoutSeconds = v; return this; }
        /** On handler failure, make the message visible at once instead of after its visibility timeout. */
        public Builder nackOnFailure(boolean v) { this.nackOnFailure = v; return this; }
        /** Pause after a failed ReceiveMessage (the client has already retried it). */
        public Builder errorBackoffMs(long v) { this.errorBackoffMs = v; return this; }

        public QueueConsumer build() {
            QueueUrls.nameOf(queueUrl);
            if (threads < 1 || threads > 1000) throw new IllegalArgumentException("threads must be in 1..1000");
            if (maxMessages < 1 || maxMessages > 10) throw new IllegalArgumentException("maxMessages must be in 1..10");
            if (waitTimeSeconds < 0 || waitTimeSeconds > 20) throw new IllegalArgumentException("waitTimeSeconds must be in 0..20");
            if (visibilityTimeoutSeconds < 1 || visibilityTimeoutSeconds > 43_200) {
                throw new IllegalArgumentException("visibilityTimeoutSeconds must be in 1..43200");
            }
            if (errorBackoffMs < 0) throw new IllegalArgumentException("errorBackoffMs must be >= 0");
            return new QueueConsumer(this);
        }
    }
}
