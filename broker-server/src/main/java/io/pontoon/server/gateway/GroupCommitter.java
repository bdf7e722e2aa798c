package io.pontoon.server.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Group commit for one Raft group: concurrent requests are coalesced into one log entry.
 *
 * <p>At most {@code maxInFlight} entries are being replicated at once. While they are, new requests wait
 * in the queue; when one completes, everything waiting (up to {@code maxCommands} commands or
 * {@code maxBytes}) goes out as the next entry. At low load a request is sent at once, alone; under load
 * batches grow by themselves, with no linger timer adding latency.
 *
 * @param <C> command type
 * @param <R> per-command result type
 */
public final class GroupCommitter<C, R> {

    /** Sends one encoded batch and returns its encoded results. */
    public interface Transport {
        CompletableFuture<byte[]> send(byte[] batch);
    }

    private record Pending<C, R>(C command, int bytes, CompletableFuture<R> result) {
    }

    private final Transport transport;
    private final Function<List<C>, byte[]> encode;
    private final Function<byte[], List<R>> decode;
    private final ToIntFunction<C> sizeOf;
    private final int maxCommands;
    private final int maxBytes;
    private final int maxInFlight;
    private final int maxQueued;

    private final ArrayDeque<Pending<C, R>> queue = new ArrayDeque<>();
    private int inFlight;

    public GroupCommitter(Transport transport, Function<List<C>, byte[]> encode, Function<byte[], List<R>> decode,
                          ToIntFunction<C> sizeOf, int maxCommands, int maxBytes, int maxInFlight, int maxQueued) {
        this.transport = transport;
        this.encode = encode;
        this.decode = decode;
        this.sizeOf = sizeOf;
        this.maxCommands = maxCommands;
        this.maxBytes = maxBytes;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    /** Queues {@code command} for the next entry. Fails fast with {@link OverloadedException} past {@code maxQueued}. */
    public CompletableFuture<R> submit(C command) {
        CompletableFuture<R> result = new CompletableFuture<>();
        List<Pending<C, R>> batch;
        synchronized (this) {
            if (queue.size() >= maxQueued) {
                return CompletableFuture.failedFuture(new OverloadedException(queue.size()));
            }
            queue.add(new Pending<>(command, sizeOf.applyAsInt(command), result));
            batch = nextBatchLocked();
        }
        send(batch);
        return result;
    }

    private List<Pending<C, R>> nextBatchLocked() {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
            return null;
        }
        List<Pending<C, R>> batch = new ArrayList<>();
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < maxCommands) {
            Pending<C, R> next = queue.peek();
            if (!batch.isEmpty() && bytes + next.bytes() > maxBytes) {
                break;
            }
            batch.add(queue.poll());
            bytes += next.bytes();
        }
        inFlight++;
        return batch;
    }

    private void send(List<Pending<C, R>> batch) {
        if (batch == null) {
            return;
        }
        CompletableFuture<byte[]> sent;
        try {
            sent = transport.send(encode.apply(batch.stream().map(Pending::command).toList()));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((bytes, error) -> {
            complete(batch, bytes, error);
            List<Pending<C, R>> next;
            synchronized (this) {
                inFlight--;
                next = nextBatchLocked();
            }
            send(next);
        });
    }

    private void complete(List<Pending<C, R>> batch, byte[] bytes, Throwable error) {
        if (error == null) {
            try {
                List<R> results = decode.apply(bytes);
                if (results.size() != batch.size()) {
                    error = new IllegalStateException("batch of " + batch.size() + " got " + results.size() + " results");
                } else {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result().complete(results.get(i));
                    }
                    return;
                }
            } catch (RuntimeException e) {
                error = e;
            }
        }
        for (Pending<C, R> p : batch) {
            p.result().completeExceptionally(error);
        }
    }

    /** Too many requests are waiting for this group; the client should back off. */
    public static final class OverloadedException extends RuntimeException {
        public OverloadedException(int queued) {
            super(queued + " requests already queued for this partition", null, false, false);
        }
    }
}
