package io.pontoon.chaos;

import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pontoon.api.v1.ClusterGrpc;
import io.pontoon.api.v1.ConfirmSubscriptionRequest;
import io.pontoon.api.v1.CreateTopicRequest;
import io.pontoon.api.v1.DeleteMessageBatchRequest;
import io.pontoon.api.v1.DeleteMessageBatchRequestEntry;
import io.pontoon.api.v1.DeleteMessageBatchResponse;
import io.pontoon.api.v1.DeleteMessageBatchResultEntry;
import io.pontoon.api.v1.LookupTopicRequest;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.MessageAttributeValue;
import io.pontoon.api.v1.PublishRequest;
import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.SnsGrpc;
import io.pontoon.api.v1.SubscribeRequest;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Workload W-T: an SNS-style topic fanned out to queues and to an HTTP endpoint while the nemesis works.
 *
 * <ul>
 *   <li><b>Subscriptions</b>, made before the faults: the queues {@code chaos-wt-a} and {@code chaos-wt-b} (no filter),
 *       {@code chaos-wt-even} (FilterPolicy {@code {"parity":["even"]}}), and an HTTP endpoint run by this process
 *       ({@code com.sun.net.httpserver}, on 127.0.0.1, or on the bridge's address in netns mode so that the nodes'
 *       namespaces reach it), confirmed with the token its SubscriptionConfirmation POST carried, with a delivery
 *       policy of many 1 s retries. Recorded as op {@code subscriptions} for {@link TopicChecker}.</li>
 *   <li><b>Publishers</b> {@code p<i>} publish the unique values {@code p<i>-0, p<i>-1, ...} with the String attribute
 *       {@code parity} (even or odd, by the counter), one Publish call each, without retries (so one value is one
 *       message), each to one node (any node takes any request and forwards it to the topic's leader), moving to the
 *       next node after an error. Op {@code publish}: invoke {@code value|parity}; ok {@code value|parity|MessageId};
 *       info when the outcome is unknown, fail for a sender fault.</li>
 *   <li><b>Consumers</b> {@code c<i>}, one per queue, receive (up to 10, long poll 1 s, visibility timeout 5 s) and
 *       delete what they got with DeleteMessageBatch. Op {@code receive}: invoke with the queue's name, ok with one
 *       {@link TopicChecker.Delivery} per message (the envelope's Message, parity and MessageId, the SQS MessageId and
 *       ApproximateReceiveCount); op {@code delete} as in W-Q.</li>
 *   <li>The <b>endpoint</b> {@code h0} answers every POST 200 and records each notification as op {@code http} (the
 *       envelope's Message, parity and MessageId, and the {@code x-amz-sns-message-id} header).</li>
 * </ul>
 *
 * The final drain ends once every consumer has had its empty polls in a row and nothing arrived for the quiet time,
 * and either every acknowledged publish has reached every subscription whose filter matches it or nothing arrived
 * for {@link #SETTLE_GIVE_UP} (the checker then says what is missing).
 */
public final class TopicWorkload implements Workload {
    public static final String TOPIC = "chaos-wt";
    static final String QUEUE_ARN = "arn:aws:sqs:pontoon:000000000000:";
    static final String RECEIVE_COUNT = "ApproximateReceiveCount";
    /** The HTTP subscription retries a failed POST every second, up to 100 times. */
    static final String HTTP_DELIVERY_POLICY = "{\"healthyRetryPolicy\":{\"numRetries\":100,\"minDelayTarget\":1,\"maxDelayTarget\":1}}";
    /** The deadline of every SNS call (a publish has one attempt: its outcome is unknown after it). */
    static final long CALL_DEADLINE_MS = 3_000;
    /** Once nothing arrives any more, how long the drain still waits for acknowledged publishes missing somewhere. */
    static final Duration SETTLE_GIVE_UP = Duration.ofSeconds(30);

    /** {@code queues}: name, and the parities its filter lets through (empty: no filter policy). */
    public record Settings(int publishers, long publisherDelayMs, int visibilitySeconds, Map<String, Set<String>> queues) {
        static Settings defaults() {
            Map<String, Set<String>> queues = new java.util.LinkedHashMap<>();
            queues.put("chaos-wt-a", Set.of());
            queues.put("chaos-wt-b", Set.of());
            queues.put("chaos-wt-even", Set.of("even"));
            return new Settings(2, 40, 5, queues);
        }
    }

    private final History history;
    private final Settings settings;
    private final Consumer<String> log;
    private final Sns sns;
    private final PontoonClient client;
    private final Endpoint endpoint;
    private final String topicArn;
    private final String partition;
    private final List<String> groups;
    private final List<TopicChecker.Subscription> subscriptions;
    private final Map<String, String> queueUrls;
    private final List<Thread> publishers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final List<AtomicLong> emptyStreaks = new ArrayList<>();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;
    /** Last time a reader (consumer or endpoint) got a message or an error (System.nanoTime). */
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    /** Acknowledged publishes: value -> parity. */
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    /** Per subscription name, the values it received. */
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

    /** Creates the topic, the queues and the subscriptions (confirming the HTTP one), retrying until the cluster serves them. */
    static TopicWorkload open(Cluster cluster, History history, Settings settings, Consumer<String> log) {
        Sns sns = new Sns(cluster.clientAddresses());
        Endpoint endpoint = null;
        try {
            Duration setup = Duration.ofSeconds(90);
            String topicArn = sns.retry("CreateTopic", setup, n -> sns.sns(n).createTopic(CreateTopicRequest.newBuilder().setName(TOPIC).build())
                    .getTopicArn());
            Map<String, String> urls = new java.util.LinkedHashMap<>();
            List<TopicChecker.Subscription> subs = new ArrayList<>();
            int c = 0;
            for (Map.Entry<String, Set<String>> q : settings.queues().entrySet()) {
                urls.put(q.getKey(), cluster.awaitReady(q.getKey(), Map.of(), setup));
                SubscribeRequest.Builder req = SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("sqs").setEndpoint(QUEUE_ARN + q.getKey());
                if (!q.getValue().isEmpty()) {
                    req.putAttributes("FilterPolicy", "{\"parity\":[" + String.join(",", q.getValue().stream().sorted().map(p -> "\"" + p + "\"").toList()) + "]}");
                }
                sns.retry("Subscribe " + q.getKey(), setup, n -> sns.sns(n).subscribe(req.build()).getSubscriptionArn());
                subs.add(new TopicChecker.Subscription("sqs", q.getKey(), q.getValue(), "c" + c++));
            }
            endpoint = new Endpoint(cluster.network().harnessHost(), history, topicArn);
            subscribeHttp(sns, topicArn, endpoint, setup, log);
            subs.add(new TopicChecker.Subscription("http", "http-h0", Set.of(), Endpoint.PROCESS));
            String partition = sns.retry("LookupTopic", setup, n -> sns.cluster(n).lookupTopic(LookupTopicRequest.newBuilder().setTopicName(TOPIC).build())
                    .getPartitionId());
            List<String> placement = new ArrayList<>();
            urls.keySet().forEach(q -> placement.add(q + " on partition " + cluster.partitionOf(q)));
            log.accept("cluster ready; topic " + topicArn + " on partition " + partition + ", leader " + cluster.leaderOf(partition).orElse("unknown")
                    + "; queues " + placement + "; HTTP endpoint " + endpoint.url());
            history.add("setup", Op.OK, "subscriptions", subs.stream().map(TopicChecker.Subscription::encode).toList());
            return new TopicWorkload(history, settings, log, sns, cluster.clientAddresses(), endpoint, topicArn, partition, cluster.groups(), subs, urls);
        } catch (RuntimeException e) {
            if (endpoint != null) endpoint.close();
            sns.close();
            throw e;
        }
    }

    /** Subscribes the endpoint and confirms it with the token of the SubscriptionConfirmation it is POSTed (subscribing again if none comes). */
    private static void subscribeHttp(Sns sns, String topicArn, Endpoint endpoint, Duration timeout, Consumer<String> log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SubscribeRequest req = SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("http").setEndpoint(endpoint.url())
                .putAttributes("DeliveryPolicy", HTTP_DELIVERY_POLICY).build();
        while (System.nanoTime() < deadline) {
            String pending = sns.retry("Subscribe http", timeout, n -> sns.sns(n).subscribe(req).getSubscriptionArn());
            String token;
            try {
                token = endpoint.tokens.poll(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (token == null) {
                log.accept("no SubscriptionConfirmation at " + endpoint.url() + " within 15 s of Subscribe (" + pending + "); subscribing again");
                continue;
            }
            String arn = sns.retry("ConfirmSubscription", timeout, n -> sns.sns(n).confirmSubscription(ConfirmSubscriptionRequest.newBuilder()
                    .setTopicArn(topicArn).setToken(token).build()).getSubscriptionArn());
            log.accept("HTTP subscription confirmed: " + arn);
            return;
        }
        throw new IllegalStateException("the HTTP subscription of " + endpoint.url() + " was not confirmed within " + timeout);
    }

    private TopicWorkload(History history, Settings settings, Consumer<String> log, Sns sns, List<String> bootstrap, Endpoint endpoint,
                          String topicArn, String partition, List<String> groups, List<TopicChecker.Subscription> subscriptions,
                          Map<String, String> queueUrls) {
        this.history = history;
        this.settings = settings;
        this.log = log;
        this.sns = sns;
        this.endpoint = endpoint;
        this.topicArn = topicArn;
        this.partition = partition;
        this.groups = groups;
        this.subscriptions = subscriptions;
        this.queueUrls = queueUrls;
        this.client = PontoonClient.builder().bootstrap(bootstrap)
                .connectTimeoutMs(1000).requestTimeoutMs(3000).maxAttempts(4)
                .backoffBaseMs(50).backoffMaxMs(500).routingRefreshIntervalMs(5000).build();
        subscriptions.forEach(s -> seen.put(s.name(), ConcurrentHashMap.newKeySet()));
        endpoint.onNotification = value -> {
            seen.get("http-h0").add(value);
            lastActivity.set(System.nanoTime());
        };
    }

    /** The topic's partition: the nemesis aims at its leader. */
    @Override
    public String partition() {
        return partition;
    }

    /** The queues live on partitions of their own, fed by the topic's: every group is compared. */
    @Override
    public List<String> checkedPartitions() {
        return groups;
    }

    @Override
    public void start() {
        for (int i = 0; i < settings.publishers(); i++) {
            int proc = i;
            publishers.add(Thread.ofPlatform().name("chaos-topic-publisher-" + i).start(() -> publish(proc)));
        }
        for (TopicChecker.Subscription s : subscriptions) {
            if (!s.queue()) continue;
            AtomicLong streak = new AtomicLong();
            emptyStreaks.add(streak);
            consumers.add(Thread.ofPlatform().name("chaos-topic-consumer-" + s.process()).start(() -> consume(s, streak)));
        }
    }

    // ------------------------------------------------------------------ publishers

    private void publish(int proc) {
        String process = "p" + proc;
        int node = proc % sns.nodes();
        for (long counter = 0; producing; counter++) {
            String value = process + "-" + counter;
            String parity = counter % 2 == 0 ? "even" : "odd";
            PublishRequest req = PublishRequest.newBuilder().setTopicArn(topicArn).setMessage(value)
                    .putMessageAttributes("parity", MessageAttributeValue.newBuilder().setDataType("String").setStringValue(parity).build()).build();
            history.add(process, Op.INVOKE, "publish", value + "|" + parity);
            try {
                String id = sns.sns(node).publish(req).getMessageId();
                history.add(process, Op.OK, "publish", value + "|" + parity + "|" + id);
                acked.put(value, parity);
            } catch (RuntimeException e) {
                PontoonException p = PontoonException.from(e);
                history.add(process, p.isSenderFault() ? Op.FAIL : Op.INFO, "publish", value + "|" + parity, describe(p));
                node = (node + 1) % sns.nodes(); // another node next time; this one may be down
                Workload.pause(50);
            }
            if (settings.publisherDelayMs() > 0) Workload.pause(settings.publisherDelayMs());
        }
    }

    // ------------------------------------------------------------------ consumers

    private void consume(TopicChecker.Subscription s, AtomicLong emptyStreak) {
        String process = s.process();
        String url = queueUrls.get(s.name());
        ReceiveMessageRequest receive = ReceiveMessageRequest.newBuilder().setQueueUrl(url)
                .setMaxNumberOfMessages(10).setWaitTimeSeconds(1).setVisibilityTimeout(settings.visibilitySeconds())
                .addMessageSystemAttributeNames(RECEIVE_COUNT).build();
        Set<String> received = seen.get(s.name());
        while (consuming) {
            history.add(process, Op.INVOKE, "receive", s.name());
            List<Message> messages;
            try {
                messages = client.receiveMessage(receive).getMessagesList();
            } catch (RuntimeException e) {
                PontoonException p = PontoonException.from(e);
                history.add(process, p.isSenderFault() ? Op.FAIL : Op.INFO, "receive", s.name(), describe(p));
                lastActivity.set(System.nanoTime());
                emptyStreak.set(0);
                Workload.pause(100);
                continue;
            }
            List<TopicChecker.Delivery> deliveries = messages.stream()
                    .map(m -> delivery(m.getBody(), topicArn, m.getMessageId(), m.getAttributesOrDefault(RECEIVE_COUNT, ""))).toList();
            history.add(process, Op.OK, "receive", deliveries.stream().map(TopicChecker.Delivery::encode).toList());
            if (messages.isEmpty()) {
                emptyStreak.incrementAndGet();
                continue;
            }
            deliveries.forEach(d -> received.add(d.value()));
            lastActivity.set(System.nanoTime());
            emptyStreak.set(0);
            delete(process, url, messages, deliveries.stream().map(TopicChecker.Delivery::value).toList());
        }
    }

    private void delete(String process, String url, List<Message> messages, List<String> values) {
        DeleteMessageBatchRequest.Builder req = DeleteMessageBatchRequest.newBuilder().setQueueUrl(url);
        for (int i = 0; i < messages.size(); i++) {
            req.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId(Integer.toString(i)).setReceiptHandle(messages.get(i).getReceiptHandle()));
        }
        history.add(process, Op.INVOKE, "delete", values);
        try {
            DeleteMessageBatchResponse r = client.deleteMessageBatch(req.build());
            List<String> deleted = new ArrayList<>();
            for (DeleteMessageBatchResultEntry e : r.getSuccessfulList()) deleted.add(values.get(Integer.parseInt(e.getId())));
            history.add(process, Op.OK, "delete", deleted, r.getFailedCount() == 0 ? null : r.getFailedCount() + " entries failed: " + r.getFailed(0).getCode());
        } catch (RuntimeException e) {
            PontoonException p = PontoonException.from(e);
            history.add(process, p.isSenderFault() ? Op.FAIL : Op.INFO, "delete", values, describe(p));
        }
    }

    // ------------------------------------------------------------------ phases

    @Override
    public void stopProducers() throws InterruptedException {
        producing = false;
        Workload.joinAll(publishers, log);
    }

    /** True once nothing arrives any more and every acknowledged publish reached every subscription that matches it. */
    @Override
    public boolean drain(int emptyPolls, Duration quiet, Duration deadline) {
        long start = System.nanoTime();
        lastActivity.set(start);
        emptyStreaks.forEach(s -> s.set(0));
        long end = start + deadline.toNanos();
        while (System.nanoTime() < end) {
            boolean empty = emptyStreaks.stream().allMatch(s -> s.get() >= emptyPolls);
            long idle = System.nanoTime() - lastActivity.get();
            if (empty && idle >= quiet.toNanos()) {
                long missing = missing();
                if (missing == 0 || idle >= SETTLE_GIVE_UP.toNanos()) {
                    log.accept("drain complete after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms"
                            + (missing == 0 ? "; every acknowledged publish reached every matching subscription"
                            : "; " + missing + " acknowledged deliveries still missing after " + SETTLE_GIVE_UP.toSeconds() + " s without news"));
                    return true;
                }
            }
            Workload.pause(200);
        }
        log.accept("DRAIN INCOMPLETE after " + deadline + ": empty streaks " + emptyStreaks + ", acknowledged deliveries missing " + missing());
        return false;
    }

    /** (acknowledged publish, matching subscription) pairs not received yet. */
    private long missing() {
        long n = 0;
        for (Map.Entry<String, String> a : acked.entrySet()) {
            for (TopicChecker.Subscription s : subscriptions) {
                if (s.matches(a.getValue()) && !seen.get(s.name()).contains(a.getKey())) n++;
            }
        }
        return n;
    }

    @Override
    public void stopConsumers() throws InterruptedException {
        consuming = false;
        Workload.joinAll(consumers, log);
        endpoint.close();
    }

    @Override
    public Findings check(List<Op> history, long clockBoundMs) {
        return TopicChecker.check(history, settings.visibilitySeconds() * 1000L, clockBoundMs);
    }

    @Override
    public void close() {
        producing = false;
        consuming = false;
        endpoint.close();
        client.close();
        sns.close();
    }

    private static String describe(PontoonException e) {
        return e.statusCode() + " " + (e.awsCode() == null ? "" : e.awsCode() + " ") + e.getMessage();
    }

    /**
     * What a subscriber got, from the SNS envelope: its Message, parity attribute and MessageId. A body that is not
     * this topic's Notification envelope becomes a value no publish attempted ({@code ?} and the body's start).
     */
    static TopicChecker.Delivery delivery(String body, String topicArn, String transportId, String receiveCount) {
        int count = receiveCount == null || receiveCount.isEmpty() ? -1 : Integer.parseInt(receiveCount);
        try {
            Map<String, Object> e = Json.parseObject(body);
            Object message = e.get("Message");
            if ("Notification".equals(e.get("Type")) && topicArn.equals(e.get("TopicArn")) && message instanceof String m
                    && !m.contains("|") && e.get("MessageId") instanceof String id) {
                String parity = "";
                if (e.get("MessageAttributes") instanceof Map<?, ?> attrs && attrs.get("parity") instanceof Map<?, ?> p
                        && "String".equals(p.get("Type")) && p.get("Value") instanceof String v) {
                    parity = v;
                }
                return new TopicChecker.Delivery(m, parity.replace('|', '/'), id.replace('|', '/'), transportId, count);
            }
        } catch (RuntimeException ignored) {
            // not JSON: recorded as garbage below
        }
        String start = body.length() > 80 ? body.substring(0, 80) : body;
        return new TopicChecker.Delivery("?" + start.replace('|', '/').replace('\n', ' '), "", "", transportId, count);
    }

    // ------------------------------------------------------------------ the SNS API, node by node

    /** One channel per node, for the SNS and cluster calls the client library does not route (any node takes any request). */
    private static final class Sns implements AutoCloseable {
        private final List<ManagedChannel> channels;

        Sns(List<String> addresses) {
            this.channels = addresses.stream().map(a -> (ManagedChannel) NettyChannelBuilder.forTarget(a).usePlaintext().build()).toList();
        }

        int nodes() {
            return channels.size();
        }

        /** A stub for one call to {@code node}, with the workload's 3 s deadline. */
        SnsGrpc.SnsBlockingStub sns(int node) {
            return SnsGrpc.newBlockingStub(channels.get(node)).withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS);
        }

        ClusterGrpc.ClusterBlockingStub cluster(int node) {
            return ClusterGrpc.newBlockingStub(channels.get(node)).withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS);
        }

        /** Setup calls (idempotent): tried node after node, 3 s each, until one succeeds or {@code timeout} passes. */
        <T> T retry(String what, Duration timeout, IntFunction<T> call) {
            long deadline = System.nanoTime() + timeout.toNanos();
            RuntimeException last = null;
            for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                int node = attempt % channels.size();
                try {
                    return call.apply(node);
                } catch (RuntimeException e) {
                    last = e;
                    Cluster.sleep(250);
                }
            }
            throw new IllegalStateException("cluster did not accept " + what + " within " + timeout, last);
        }

        @Override
        public void close() {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    // ------------------------------------------------------------------ the HTTP endpoint

    /** The HTTP subscriber: answers every POST 200; notifications become {@code http} ops of process {@code h0}. */
    private static final class Endpoint implements AutoCloseable {
        static final String PROCESS = "h0";
        final LinkedBlockingQueue<String> tokens = new LinkedBlockingQueue<>();
        volatile Consumer<String> onNotification = v -> { };
        private final HttpServer server;
        private final ExecutorService executor;
        private final String host;
        private volatile boolean open = true;

        Endpoint(String host, History history, String topicArn) {
            this.host = host;
            try {
                server = HttpServer.create(new InetSocketAddress(host, 0), 64);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve the HTTP subscriber at " + host, e);
            }
            executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "chaos-topic-endpoint");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/", x -> {
                try {
                    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    String type = x.getRequestHeaders().getFirst("x-amz-sns-message-type");
                    if (open && "SubscriptionConfirmation".equals(type)) {
                        Object token = Json.parseObject(body).get("Token");
                        history.add(PROCESS, Op.OK, "confirmation", String.valueOf(token));
                        if (token instanceof String t) tokens.add(t);
                    } else if (open) {
                        String headerId = x.getRequestHeaders().getFirst("x-amz-sns-message-id");
                        TopicChecker.Delivery d = delivery(body, topicArn, headerId == null ? "" : headerId, "");
                        history.add(PROCESS, Op.OK, "http", List.of(d.encode()));
                        onNotification.accept(d.value());
                    }
                    x.sendResponseHeaders(200, -1);
                } catch (RuntimeException e) {
                    x.sendResponseHeaders(500, -1);
                } finally {
                    x.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://" + host + ":" + server.getAddress().getPort() + "/chaos-wt";
        }

        @Override
        public void close() {
            if (!open) return;
            open = false;
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
