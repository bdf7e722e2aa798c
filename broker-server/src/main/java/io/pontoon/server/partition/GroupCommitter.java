package io.pontoon.server.partition;

import io.pontoon.raft.Committed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Group commit for one Raft group: concurrent requests are coalesced into one log entry.
 *
 * <p>At most {@code maxInFlight} entries are being replicated at once. While they are, new requests wait in the
 * queue; when one completes, everything waiting (up to {@code maxCommands} commands and {@code maxBytes} bytes)
 * goes out as the next entry. At low load a request is sent at once, alone; under load batches grow by themselves,
 * with no linger timer adding latency.
 *
 * <p>Bounded by bytes, not only by counts: each command arrives encoded (so its exact size is known and it is never
 * encoded again), and a command is refused with {@link ThrottledException} when this group already queues
 * {@code maxQueuedBytes} or {@code maxQueued} commands, or when the node-wide {@link ByteBudget} of request bytes is
 * spent. A command's bytes stay charged to the node budget until its entry is applied (or fails).
 *
 * @param <R> per-command result type
 */
public final class GroupCommitter<R> {

    /** Sends one framed entry and completes with its index and encoded results. */
    public interface Transport {
        CompletableFuture<Committed> send(byte[] entry);
    }

    /** A command's result and the log index of the entry that carried it. */
    public record Applied<R>(long index, R result) {
    }

    /**
     * @param maxCommands    commands per entry
     * @param maxBytes       encoded command bytes per entry (a single larger command still goes, alone)
     * @param maxInFlight    entries being replicated at once
     * @param maxQueued      commands waiting, at most
     * @param maxQueuedBytes bytes of commands waiting, at most
     */
    public record Limits(int maxCommands, int maxBytes, int maxInFlight, int maxQueued, long maxQueuedBytes) {
    }

    private record Pending<R>(byte[] command, CompletableFuture<Applied<R>> result, long queuedAtNs) {
    }

    private final Transport transport;
    private final Function<List<byte[]>, byte[]> frame;
    private final Function<byte[], List<R>> decode;
    private final Limits limits;
    private final ByteBudget nodeBudget;
    private final CommitObserver observer;

    private final ArrayDeque<Pending<R>> queue = new ArrayDeque<>();
    private long queuedBytes;
    private int inFlight;

    public GroupCommitter(Transport transport, Function<List<byte[]>, byte[]> frame, Function<byte[], List<R>> decode, Limits limits,
                          ByteBudget nodeBudget) {
        this(transport, frame, decode, limits, nodeBudget, CommitObserver.NONE);
    }

    public GroupCommitter(Transport transport, Function<List<byte[]>, byte[]> frame, Function<byte[], List<R>> decode, Limits limits,
                          ByteBudget nodeBudget, CommitObserver observer) {
        this.transport = transport;
        this.frame = frame;
        this.decode = decode;
        this.limits = limits;
        this.nodeBudget = nodeBudget;
        this.observer = observer;
    }

    /** Queues an encoded command for the next entry; fails fast with {@link ThrottledException} when there is no room. */
    public CompletableFuture<Applied<R>> submit(byte[] command) {
        if (command.length > limits.maxBytes()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a command of " + command.length + " bytes exceeds the " + limits.maxBytes() + "-byte log entry"));
        }
        CompletableFuture<Applied<R>> result = new CompletableFuture<>();
        List<Pending<R>> batch;
        synchronized (this) {
            if (queue.size() >= limits.maxQueued() || queuedBytes + command.length > limits.maxQueuedBytes()) {
                return CompletableFuture.failedFuture(new ThrottledException("this partition already queues " + queue.size()
                        + " requests (" + queuedBytes + " bytes); retry with backoff"));
            }
            if (!nodeBudget.tryAcquire(command.length)) {
                return CompletableFuture.failedFuture(new ThrottledException("this node's request buffer of "
                        + (nodeBudget.capacityBytes() >> 20) + " MiB is full; retry with backoff"));
            }
            queue.add(new Pending<>(command, result, System.nanoTime()));
            queuedBytes += command.length;
            batch = nextBatchLocked();
        }
        result.whenComplete((r, e) -> nodeBudget.release(command.length));
        send(batch);
        return result;
    }

    public synchronized int queued() {
        return queue.size();
    }

    private List<Pending<R>> nextBatchLocked() {
        if (inFlight >= limits.maxInFlight() || queue.isEmpty()) {
            return null;
        }
        List<Pending<R>> batch = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty() && batch.size() < limits.maxCommands()) {
            Pending<R> next = queue.peek();
            if (!batch.isEmpty() && bytes + next.command().length > limits.maxBytes()) {
                break;
            }
            batch.add(queue.poll());
            bytes += next.command().length;
            queuedBytes -= next.command().length;
        }
        inFlight++;
        return batch;
    }

    private void send(List<Pending<R>> batch) {
        if (batch == null) {
            return;
        }
        long sentAtNs = System.nanoTime();
        long bytes = 0;
        for (Pending<R> p : batch) {
            observer.waited(sentAtNs - p.queuedAtNs());
            bytes += p.command().length;
        }
        long entryBytes = bytes;
        CompletableFuture<Committed> sent;
        try {
            sent = transport.send(frame.apply(batch.stream().map(Pending::command).toList()));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((committed, error) -> {
            if (error == null) {
                observer.replicated(batch.size(), entryBytes, System.nanoTime() - sentAtNs);
            }
            complete(batch, committed, error);
            List<Pending<R>> next;
            synchronized (this) {
                inFlight--;
                next = nextBatchLocked();
            }
            send(next);
        });
    }

    private void complete(List<Pending<R>> batch, Committed committed, Throwable error) {
        if (error == null) {
            try {
                List<R> results = decode.apply(committed.reply());
                if (results.size() != batch.size()) {
                    error = new IllegalStateException("batch of " + batch.size() + " got " + results.size() + " results");
                } else {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result().complete(new Applied<>(committed.index(), results.get(i)));
                    }
                    return;
                }
            } catch (RuntimeException e) {
                error = e;
            }
        }
        for (Pending<R> p : batch) {
            p.result().completeExceptionally(error);
        }
    }
}
