package io.pontoon.server.topic;

import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.topic.Deliveries;
import io.pontoon.core.topic.DeliveryPolicy;
import io.pontoon.core.topic.Subscription;
import io.pontoon.core.topic.TopicCommand;
import io.pontoon.core.topic.TopicQuery;
import io.pontoon.core.topic.TopicQueryResult;
import io.pontoon.server.partition.PartitionAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Delivers HTTP(S) subscriptions on the node that leads their topic's partition, on every publish applied here and every
 * 200 ms. Each subscription is an endpoint with its own small window of deliveries in flight ({@link #WINDOW}; a decided
 * delivery leaves it at once and is settled with others in one command, {@link #SETTLE_BATCH} at most), its own retry schedule (its DeliveryPolicy) and its
 * own rate ({@code maxReceivesPerSecond}), so a slow, failing or hanging endpoint holds only its own window: publishing
 * and other subscriptions go on. Memory is bounded by bytes too: at most {@link #MAX_HELD_BYTES} of messages are held
 * per node, however many endpoints fail.
 *
 * <p>A 2xx answer is a delivery; a 4xx other than 429 is a permanent failure (no retry, as SNS treats client errors);
 * anything else, a timeout or a refused connection is retried after the policy's delay. A delivery that fails for good
 * is settled as failed: it goes to the subscription's dead-letter queue if it has one, else it is dropped and logged.
 * Retry state lives in memory on the leader: after a failover the new leader starts each pending delivery afresh
 * (at least once, as SNS promises for HTTP).
 *
 * <p>A pending subscription gets one SubscriptionConfirmation POST per leadership of its partition.
 *
 * <p>Envelopes are signed with this node's key when they are read into a window (a retry resends the same bytes), by
 * their topic's SignatureVersion: read from the local replica at most once per topic per pass.
 */
final class HttpFanout {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFanout.class);
    static final int WINDOW = 16;
    /** Decided deliveries settled in one command at most; fewer are settled on the next pass (every 200 ms or publish). */
    static final int SETTLE_BATCH = 256;
    static final long MAX_HELD_BYTES = 64L << 20;
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final PartitionAccess partitions;
    private final HttpClient client;
    private final LongSupplier clockMs;
    private final DeliveryObserver observer;
    private final IntPredicate leads;
    private final EnvelopeSigner signer;
    private final EnvelopeLinks links;
    /** The SignatureVersion of the topics this pass has rendered for; emptied at the start of each pass. */
    private final Map<String, String> signatureVersions = new HashMap<>();
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Set<String> confirmationsSent = new HashSet<>();
    private long heldBytes;
    /** Decided deliveries per partition, waiting for their settle (a few small records each; bounded by the windows' turnover). */
    private final Map<Integer, List<TopicCommand.HttpOutcome>> toSettle = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean passScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** Whether the last pass found any HTTP(S) subscription on the partitions led here. */
    private volatile boolean anySubscription;

    /** One delivery in flight: its message's rendering and where it is in its retries. */
    private static final class Attempt {
        final long seq;
        final String messageId;
        final String body;
        final long bytes;
        int retries;
        long dueMs;
        boolean sending;

        final long publishedMs;

        Attempt(long seq, String messageId, long publishedMs, String body, long dueMs) {
            this.publishedMs = publishedMs;
            this.seq = seq;
            this.messageId = messageId;
            this.body = body;
            this.bytes = 2L * body.length() + 256;
            this.dueMs = dueMs;
        }
    }

    private static final class Endpoint {
        final int partition;
        Subscription subscription;
        DeliveryPolicy policy;
        long cursor = -1;
        final TreeMap<Long, Attempt> held = new TreeMap<>();
        long windowStartMs;
        int sentInWindow;

        Endpoint(int partition) {
            this.partition = partition;
        }
    }

    HttpFanout(PartitionAccess partitions, HttpClient client, LongSupplier clockMs, IntPredicate leads, EnvelopeSigner signer,
               EnvelopeLinks links, DeliveryObserver observer) {
        this.links = links;
        this.observer = observer;
        this.partitions = partitions;
        this.signer = signer;
        this.client = client;
        this.clockMs = clockMs;
        this.leads = leads;
    }

    /**
     * A publish was applied: serve the endpoints soon. Never blocks; one pass waits at most. A node that served no HTTP(S)
     * subscription on its last pass skips it (a new subscription is found by the next timed pass), so publishes to topics
     * with only queue and stream subscribers cost no scan here.
     */
    void signal(java.util.concurrent.Executor executor) {
        if (anySubscription && passScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    passScheduled.set(false);
                    poll();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                passScheduled.set(false);
            }
        }
    }

    /** One pass over the HTTP(S) subscriptions of the partitions this node leads. */
    synchronized void poll() {
        long now = clockMs.getAsLong();
        signatureVersions.clear();
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < partitions.partitions(); p++) {
            if (!leads.test(p)) {
                // Another node leads: it resends what is unsettled (at least once). A later leadership starts afresh.
                toSettle.remove(p);
                int lost = p;
                endpoints.values().removeIf(e -> {
                    if (e.partition == lost) {
                        e.held.values().forEach(a -> heldBytes -= a.bytes);
                        return true;
                    }
                    return false;
                });
                continue;
            }
            settle(p);
            for (Subscription s : httpSubscriptions(p)) {
                seen.add(s.id());
                serve(p, s, now);
            }
        }
        anySubscription = !seen.isEmpty();
        endpoints.entrySet().removeIf(e -> {
            boolean gone = !seen.contains(e.getKey());
            if (gone) {
                e.getValue().held.values().forEach(a -> heldBytes -= a.bytes);
            }
            return gone;
        });
        confirmationsSent.retainAll(seen);
    }

    private List<Subscription> httpSubscriptions(int p) {
        List<Subscription> out = new ArrayList<>();
        byte[] after = null;
        do {
            QueryResult r = partitions.localRead(p, new TopicQuery.ListSubscriptions("", after, 1_000, true));
            TopicQueryResult.SubscriptionList l = TopicRequests.expect(r, TopicQueryResult.SubscriptionList.class);
            l.subscriptions().stream().filter(Subscription::isHttp).forEach(out::add);
            after = l.next();
        } while (after != null);
        return out;
    }

    private void serve(int p, Subscription s, long now) {
        if (s.deleted()) {
            Endpoint old = endpoints.remove(s.id());
            if (old != null) {
                old.held.values().forEach(a -> heldBytes -= a.bytes);
            }
            dropDeliveriesOf(p, s);
            return;
        }
        if (!s.confirmed()) {
            if (confirmationsSent.add(s.id())) {
                sendConfirmation(p, s, now);
            }
            return;
        }
        Endpoint e = endpoints.computeIfAbsent(s.id(), k -> new Endpoint(p));
        if (e.subscription == null || !e.subscription.equals(s)) {
            e.subscription = s;
            e.policy = policyOf(p, s);
        }
        fill(e, now);
        for (Attempt a : e.held.values()) {
            if (!a.sending && a.dueMs <= now && take(e, now)) {
                send(e, a);
            }
        }
    }

    private DeliveryPolicy policyOf(int p, Subscription s) {
        QueryResult r = partitions.localRead(p, new TopicQuery.GetSubscription(s.topic(), s.id()));
        String topicPolicy = r instanceof TopicQueryResult.SubscriptionFound f ? f.topicDeliveryPolicy() : null;
        return DeliveryPolicy.effective(topicPolicy, s.attributes().get(io.pontoon.core.topic.TopicAttributes.DELIVERY_POLICY));
    }

    /** Reads deliveries past the endpoint's cursor into its window, while the node holds less than its byte bound. */
    private void fill(Endpoint e, long now) {
        int room = WINDOW - e.held.size();
        if (room <= 0 || heldBytes >= MAX_HELD_BYTES) {
            return;
        }
        QueryResult r = partitions.localRead(e.partition, new TopicQuery.ReadHttpDeliveries(e.subscription.id(), e.cursor, room,
                MAX_HELD_BYTES - heldBytes));
        for (Deliveries.ToHttp d : TopicRequests.expect(r, TopicQueryResult.HttpDeliveries.class).deliveries()) {
            String body = e.subscription.rawMessageDelivery() ? Envelopes.text(d.message(), e.subscription.protocol())
                    : Envelopes.notification(d.message(), e.subscription.protocol(), e.subscription.arn(), signer,
                    signatureVersion(e.partition, d.message().topic()), links);
            Attempt a = new Attempt(d.seq(), d.message().messageId(), d.message().publishedMs(), body, now);
            e.held.put(d.seq(), a);
            heldBytes += a.bytes;
            e.cursor = Math.max(e.cursor, d.seq());
        }
    }

    /** The subscription's rate (maxReceivesPerSecond): one more send in the current second, if it has room. */
    private static boolean take(Endpoint e, long now) {
        int max = e.policy.maxReceivesPerSecond();
        if (max <= 0) {
            return true;
        }
        if (now - e.windowStartMs >= 1_000) {
            e.windowStartMs = now;
            e.sentInWindow = 0;
        }
        return e.sentInWindow++ < max;
    }

    private void send(Endpoint e, Attempt a) {
        a.sending = true;
        Subscription s = e.subscription;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.endpoint())).timeout(TIMEOUT)
                .header("Content-Type", e.policy.contentType())
                .header("x-amz-sns-message-type", "Notification")
                .header("x-amz-sns-message-id", a.messageId)
                .header("x-amz-sns-topic-arn", links.arn(io.pontoon.core.topic.TopicArns.topic(s.topic())))
                .header("x-amz-sns-subscription-arn", links.arn(s.arn()))
                .POST(HttpRequest.BodyPublishers.ofString(a.body));
        if (s.rawMessageDelivery()) {
            b.header("x-amz-sns-rawdelivery", "true");
        }
        client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> answered(e, a, resp == null ? -1 : resp.statusCode()));
    }

    private synchronized void answered(Endpoint e, Attempt a, int status) {
        a.sending = false;
        Boolean outcome = null;
        if (status >= 200 && status < 300) {
            outcome = true;
        } else if ((status >= 400 && status < 500 && status != 429) || a.retries >= e.policy.numRetries()) {
            outcome = false;
        } else {
            a.retries++;
            a.dueMs = clockMs.getAsLong() + e.policy.delayBeforeRetryMs(a.retries);
            observer.retried(e.subscription.arn(), e.subscription.protocol());
            return;
        }
        if (outcome) {
            observer.delivered(e.subscription.arn(), e.subscription.protocol(), clockMs.getAsLong() - a.publishedMs);
        } else {
            observer.failed(e.subscription.arn(), e.subscription.protocol());
            LOG.warn("{}: delivery of message {} to {} failed for good after {} attempt(s) (last status {}); it goes to the "
                    + "subscription's dead-letter queue if it has one", e.subscription.arn(), a.messageId, e.subscription.endpoint(),
                    a.retries + 1, status < 0 ? "no answer" : status);
        }
        // Decided: out of the window (its bytes are free), into the partition's next settle.
        if (e.held.remove(a.seq) != null) {
            heldBytes -= a.bytes;
        }
        List<TopicCommand.HttpOutcome> pending = toSettle.computeIfAbsent(e.partition, k -> new ArrayList<>());
        pending.add(new TopicCommand.HttpOutcome(e.subscription.id(), a.seq, outcome));
        if (pending.size() >= SETTLE_BATCH) {
            settle(e.partition);
        }
    }

    /**
     * Settles a partition's decided deliveries in one command (a delivered one is forgotten, a failed one goes to its
     * dead-letter queue). A settle that fails is tried again with the next: the outcomes stay in memory until applied.
     */
    private void settle(int partition) {
        List<TopicCommand.HttpOutcome> batch = toSettle.remove(partition);
        if (batch == null || batch.isEmpty()) {
            return;
        }
        partitions.submit(partition, new TopicCommand.SettleDeliveries(List.of(), batch)).whenComplete((r, err) -> {
            if (err != null || r instanceof io.pontoon.core.partition.PartitionResult.Error) {
                synchronized (this) {
                    toSettle.computeIfAbsent(partition, k -> new ArrayList<>()).addAll(batch);
                }
            }
        });
    }

    private String signatureVersion(int p, String topic) {
        return signatureVersions.computeIfAbsent(topic, t -> Envelopes.signatureVersion(partitions, p, t));
    }

    private void sendConfirmation(int p, Subscription s, long now) {
        String messageId = UUID.randomUUID().toString();
        String body = Envelopes.confirmation(s.topic(), s.token(), messageId, now, signer, signatureVersion(p, s.topic()), links);
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.endpoint())).timeout(TIMEOUT)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", "SubscriptionConfirmation")
                .header("x-amz-sns-message-id", messageId)
                .header("x-amz-sns-topic-arn", links.arn(io.pontoon.core.topic.TopicArns.topic(s.topic())))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (err != null || resp.statusCode() / 100 != 2) {
                LOG.info("{}: the subscription confirmation to {} was not accepted ({}); subscribe again to resend it", s.arn(), s.endpoint(),
                        err != null ? err.toString() : "status " + resp.statusCode());
            }
        });
    }

    /** An unsubscribed endpoint's deliveries are dropped; once none is left its tombstone is forgotten. */
    private void dropDeliveriesOf(int p, Subscription s) {
        QueryResult r = partitions.localRead(p, new TopicQuery.ReadHttpDeliveries(s.id(), -1, 100, 1 << 20));
        List<Deliveries.ToHttp> left = TopicRequests.expect(r, TopicQueryResult.HttpDeliveries.class).deliveries();
        if (left.isEmpty()) {
            partitions.submit(p, new TopicCommand.ForgetSubscription(s.topic(), s.id()));
        } else {
            partitions.submit(p, new TopicCommand.SettleDeliveries(List.of(),
                    left.stream().map(d -> new TopicCommand.HttpOutcome(s.id(), d.seq(), false)).toList()));
        }
    }
}
