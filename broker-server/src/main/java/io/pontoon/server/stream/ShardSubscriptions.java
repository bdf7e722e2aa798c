package io.pontoon.server.stream;

import io.grpc.stub.ServerCallStreamObserver;
import io.pontoon.api.v1.StartingPosition;
import io.pontoon.api.v1.SubscribeToShardEvent;
import io.pontoon.core.Limits;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.stream.SequenceNumbers;
import io.pontoon.core.stream.StreamArns;
import io.pontoon.core.stream.StreamQueryResult;
import io.pontoon.server.grpc.GrpcErrors;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Enhanced fan-out (SubscribeToShard): each subscription pushes its shard's records as this node applies them, read
 * from this node's replica at the subscription's own pace. A subscriber is pushed to only when its stream is ready for
 * more (gRPC flow control), so a slow one holds at most one event and never slows writers or other subscribers. An
 * idle subscription gets an empty event every 5 s (its continuation sequence number and 0 behind); a subscription ends
 * after 5 minutes, and at the end of a closed shard with its children named. A second subscription of one consumer to
 * one shard within 5 s of the first is refused (ResourceInUseException); a later one takes over.
 */
public final class ShardSubscriptions {
    private static final int MAX_SUBSCRIPTIONS = 1_000;
    /** Records one event carries at most (by {@code StoredRecord.weight}). */
    private static final int EVENT_MAX_BYTES = 256 << 10;
    private static final int EVENT_MAX_RECORDS = 1_000;
    private static final long HEARTBEAT_MS = 5_000;
    private static final int EVENTS_PER_RUN = 8;

    private final StreamTopologies topologies;
    private final ShardReader reader;
    private final ScheduledExecutorService timer;
    private final Executor pushes;
    private final LongSupplier clockMs;
    private final Map<String, Subscription> byConsumerShard = new ConcurrentHashMap<>();
    private final Map<Long, Set<Subscription>> byUid = new ConcurrentHashMap<>();

    ShardSubscriptions(StreamTopologies topologies, ShardReader reader, ScheduledExecutorService timer, Executor pushes, LongSupplier clockMs) {
        this.topologies = topologies;
        this.reader = reader;
        this.timer = timer;
        this.pushes = pushes;
        this.clockMs = clockMs;
    }

    /** Records were appended to shard {@code uid} on this node: wake its subscriptions (called on the apply thread; never blocks). */
    public void signal(long uid) {
        Set<Subscription> subs = byUid.get(uid);
        if (subs != null) {
            subs.forEach(Subscription::schedule);
        }
    }

    public int count() {
        return byConsumerShard.size();
    }

    void subscribe(String consumerArn, String shardId, StartingPosition position, ServerCallStreamObserver<SubscribeToShardEvent> out) {
        StreamArns.ConsumerRef ref = StreamArns.parseConsumer(consumerArn);
        StreamValidatorCalls.shardId(shardId);
        // The call's handlers are set now, while the handler runs (gRPC refuses them later); they act once the
        // subscription exists, and a cancel before that is remembered.
        java.util.concurrent.atomic.AtomicReference<Subscription> started = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        out.setOnCancelHandler(() -> {
            cancelled.set(true);
            Subscription sub = started.get();
            if (sub != null) {
                sub.end(null);
            }
        });
        out.setOnReadyHandler(() -> {
            Subscription sub = started.get();
            if (sub != null) {
                sub.schedule();
            }
        });
        topologies.get(ref.stream(), t -> t.consumers().stream().anyMatch(c -> ref.names(c.name(), c.createdAtMs())) && t.shard(shardId).isPresent())
                .whenComplete((t, e) -> {
                    try {
                        if (e != null) {
                            throw e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                        }
                        Subscription sub = start(t, ref, shardId, position, out);
                        started.set(sub);
                        if (cancelled.get()) {
                            sub.end(null);
                        } else {
                            sub.heartbeat();
                        }
                    } catch (Throwable failure) {
                        try {
                            out.onError(GrpcErrors.toStatus(failure));
                        } catch (RuntimeException closed) {
                            // the client went away
                        }
                    }
                });
    }

    private Subscription start(StreamTopology t, StreamArns.ConsumerRef ref, String shardId, StartingPosition position,
                               ServerCallStreamObserver<SubscribeToShardEvent> out) {
        StreamAdmin.registered(t, ref);
        ShardInfo shard = StreamReads.readable(t, shardId);
        long seq = StreamReads.startingSeq(reader, shard, position.getType(), position.getSequenceNumber(),
                position.hasTimestampMs() ? position.getTimestampMs() : null);
        long now = clockMs.getAsLong();
        String key = ref.stream() + "/" + ref.consumer() + "/" + shardId;
        Subscription sub = new Subscription(key, t, shard, seq, now, out);
        Subscription[] replaced = new Subscription[1];
        // One atomic decision per (consumer, shard): refuse within 5 s of the current one, else take over from it.
        byConsumerShard.compute(key, (k, previous) -> {
            if (previous != null && now - previous.startedAtMs < Limits.SUBSCRIPTION_TAKEOVER_AFTER_MS) {
                throw new BrokerException(ErrorCode.RESOURCE_IN_USE, "Another subscription of consumer " + ref.consumer() + " to shard " + shardId
                        + " started " + (now - previous.startedAtMs) + " ms ago; a new one may take over after "
                        + Limits.SUBSCRIPTION_TAKEOVER_AFTER_MS + " ms.");
            }
            if (previous == null && byConsumerShard.size() >= MAX_SUBSCRIPTIONS) {
                throw new BrokerException(ErrorCode.LIMIT_EXCEEDED, "This node serves at most " + MAX_SUBSCRIPTIONS + " subscriptions; try another node.");
            }
            replaced[0] = previous;
            return sub;
        });
        if (replaced[0] != null) {
            replaced[0].end(null);
        }
        byUid.computeIfAbsent(shard.uid(), k -> ConcurrentHashMap.newKeySet()).add(sub);
        timer.schedule(() -> sub.end(null), Limits.MAX_SUBSCRIPTION_MS, TimeUnit.MILLISECONDS);
        return sub;
    }

    /** One subscription: its cursor, and its push task (one at a time: wake-ups that arrive meanwhile make it run again). */
    private final class Subscription {
        private final String key;
        private final StreamTopology topology;
        private final ShardInfo shard;
        private final long startedAtMs;
        private final ServerCallStreamObserver<SubscribeToShardEvent> out;
        private final java.util.concurrent.atomic.AtomicInteger wakeups = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean ended;
        private long nextSeq; // touched only by the push task
        private long lastEventMs;

        Subscription(String key, StreamTopology topology, ShardInfo shard, long nextSeq, long startedAtMs, ServerCallStreamObserver<SubscribeToShardEvent> out) {
            this.key = key;
            this.topology = topology;
            this.shard = shard;
            this.nextSeq = nextSeq;
            this.startedAtMs = startedAtMs;
            this.out = out;
        }

        void schedule() {
            if (!ended && wakeups.getAndIncrement() == 0) {
                pushes.execute(this::run);
            }
        }

        private void run() {
            int seen;
            do {
                seen = wakeups.get();
                if (pump()) {
                    // more to push: yield the thread to other subscriptions, keeping this run's claim (wakeups > 0)
                    pushes.execute(this::run);
                    return;
                }
            } while (wakeups.addAndGet(-seen) != 0);
        }

        /**
         * Pushes while the client takes more and there are records, at most {@value #EVENTS_PER_RUN} events before giving
         * the thread to other subscriptions (then it returns true); an empty event when idle for the heartbeat interval.
         */
        private boolean pump() {
            try {
                for (int events = 0; !ended && out.isReady(); events++) {
                    if (events == EVENTS_PER_RUN) {
                        return true;
                    }
                    StreamQueryResult.Records r = reader.records(shard, nextSeq, EVENT_MAX_RECORDS, EVENT_MAX_BYTES);
                    boolean end = r.atShardEnd();
                    if (r.records().isEmpty() && !end) {
                        if (clockMs.getAsLong() - lastEventMs >= HEARTBEAT_MS) {
                            send(r, false);
                        }
                        return false;
                    }
                    send(r, end);
                    if (end) {
                        end(null);
                        return false;
                    }
                }
            } catch (RuntimeException e) {
                end(e);
            }
            return false;
        }

        private synchronized void send(StreamQueryResult.Records r, boolean end) {
            if (ended) {
                return;
            }
            SubscribeToShardEvent.Builder event = SubscribeToShardEvent.newBuilder();
            r.records().forEach(rec -> event.addRecords(StreamReads.record(rec)));
            nextSeq = r.nextSeq();
            event.setContinuationSequenceNumber(SequenceNumbers.format(Math.max(nextSeq - 1, 0)))
                    .setMillisBehindLatest(StreamReads.millisBehind(r, clockMs.getAsLong()));
            if (end) {
                event.addAllChildShards(StreamReads.childShards(currentTopology(), shard.shardId()));
            }
            out.onNext(event.build());
            lastEventMs = clockMs.getAsLong();
        }

        /** The freshest topology this node has (a shard closed during the subscription has children its start did not know). */
        private StreamTopology currentTopology() {
            try {
                StreamTopology local = topologies.local(topology.name());
                return local.step() >= topology.step() ? local : topology;
            } catch (RuntimeException e) {
                return topology;
            }
        }

        /** Wakes the push task every 5 s, so an idle subscription still gets its heartbeat event. */
        void heartbeat() {
            if (!ended) {
                schedule();
                timer.schedule(this::heartbeat, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
            }
        }

        synchronized void end(Throwable error) {
            if (ended) {
                return;
            }
            ended = true;
            byConsumerShard.remove(key, this);
            Set<Subscription> subs = byUid.get(shard.uid());
            if (subs != null) {
                subs.remove(this);
                if (subs.isEmpty()) {
                    byUid.remove(shard.uid(), subs);
                }
            }
            try {
                if (error == null) {
                    out.onCompleted();
                } else {
                    out.onError(GrpcErrors.toStatus(error));
                }
            } catch (RuntimeException closed) {
                // cancelled by the client
            }
        }
    }
}
