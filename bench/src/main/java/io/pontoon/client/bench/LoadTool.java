package io.pontoon.client.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.BatchResultErrorEntry;
import io.pontoon.api.v1.DeleteMessageBatchRequest;
import io.pontoon.api.v1.DeleteMessageBatchRequestEntry;
import io.pontoon.api.v1.DeleteMessageBatchResponse;
import io.pontoon.api.v1.GetRoutingTableResponse;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.NodeInfo;
import io.pontoon.api.v1.PartitionInfo;
import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.ReceiveMessageResponse;
import io.pontoon.api.v1.SendMessageBatchRequest;
import io.pontoon.api.v1.SendMessageBatchRequestEntry;
import io.pontoon.api.v1.SendMessageBatchResponse;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.api.v1.SendMessageResponse;
import io.pontoon.api.v1.SqsGrpc;
import io.pontoon.client.ClientConfig;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for Pontoon's SQS API, in the manner of RabbitMQ's perf-test.
 *
 * <p>Producers send {@code SendMessageBatch} (or, in latency mode, {@code SendMessage}) through the
 * asynchronous gRPC stub straight to the leader of each queue's partition, with at most
 * {@code --in-flight} outstanding requests each. Failed sends are counted, not retried. Consumers
 * loop {@code ReceiveMessage(max 10)} + {@code DeleteMessageBatch} with the ordinary blocking
 * {@link PontoonClient} (which routes and retries). Every message body starts with the send time so
 * consumers measure end-to-end latency (same JVM clock).
 *
 * <p>With {@code --fifo} the queues are FIFO: each message gets a group ({@code --groups}) and a unique
 * deduplication id ({@link FifoMessages}); a producer keeps at most one request in flight per group, and
 * consumers check the order of delivery per group ({@link FifoOrderChecker}).
 *
 * <p>Prints a line per second and a final summary; {@code --json FILE} writes the summary as JSON.
 * Exit code: 0 on success, 1 if any request failed or a FIFO order violation was seen, 2 on bad options
 * or setup failure.
 */
public final class LoadTool {
    private static final long REQUEST_TIMEOUT_MS = ClientConfig.DEFAULT_REQUEST_TIMEOUT_MS;
    private static final long DRAIN_TIMEOUT_MS = 15_000;
    private static final long SETUP_TIMEOUT_MS = 60_000;

    private final LoadOptions opts;
    private final PrintStream out;
    private final Stats live = new Stats();       // whole run, for the per-second lines
    private final Stats measured = new Stats();   // measurement window only
    private volatile Latencies intervalSendLatency = new Latencies();
    private volatile boolean measuring;
    private volatile boolean stopping;
    private final AtomicLong inFlight = new AtomicLong();
    /** FIFO: this run's id, in every deduplication id; the group ids; the consumers' order check (null if none). */
    private final String runId = FifoMessages.newRunId();
    private final String[] groupIds;
    private final FifoOrderChecker fifoChecker;

    LoadTool(LoadOptions opts, PrintStream out) {
        this.opts = opts;
        this.out = out;
        this.groupIds = new String[opts.groups()];
        for (int i = 0; i < groupIds.length; i++) groupIds[i] = FifoMessages.groupId(i);
        this.fifoChecker = opts.fifo() && opts.consumers() > 0 ? new FifoOrderChecker(runId) : null;
    }

    public static void main(String[] args) {
        LoadOptions opts;
        try {
            opts = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(LoadOptions.usage());
            System.exit(2);
            return;
        }
        if (opts.help()) {
            System.out.print(LoadOptions.usage());
            return;
        }
        int rc;
        try {
            Summary s = new LoadTool(opts, System.out).run();
            rc = s.failed() ? 1 : 0;
        } catch (SetupException e) {
            System.err.println("error: " + e.getMessage());
            rc = 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rc = 130;
        }
        System.exit(rc);
    }

    // ------------------------------------------------------------------ the two front doors

    /** How producers send when not through Pontoon's gRPC API (the AWS SDK through a node's gateway). */
    interface Sends {
        void sendMessage(SendMessageRequest request, StreamObserver<SendMessageResponse> done);

        void sendMessageBatch(SendMessageBatchRequest request, StreamObserver<SendMessageBatchResponse> done);
    }

    /** How consumers receive and delete: blocking calls that throw {@link PontoonException}. */
    interface Receives extends AutoCloseable {
        ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request);

        DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request);

        @Override
        void close();
    }

    /** Consumers on Pontoon's routing client. */
    private static Receives grpc(PontoonClient client) {
        return new Receives() {
            @Override
            public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
                return client.receiveMessage(request);
            }

            @Override
            public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
                return client.deleteMessageBatch(request);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    // ------------------------------------------------------------------ statistics

    /** Counters and latency histograms (nanoseconds). */
    static final class Stats {
        final LongAdder sentMsgs = new LongAdder();
        final LongAdder sendRequests = new LongAdder();
        final LongAdder sendFailedMsgs = new LongAdder();
        final LongAdder receivedMsgs = new LongAdder();
        final LongAdder receiveRequests = new LongAdder();
        final LongAdder emptyReceives = new LongAdder();
        final LongAdder deletedMsgs = new LongAdder();
        final LongAdder deleteFailedMsgs = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Latencies sendLatency = new Latencies();
        final Latencies receiveLatency = new Latencies();
        final Latencies deleteLatency = new Latencies();
        final Latencies endToEndLatency = new Latencies();

        void error(String awsCode, long n) {
            errors.computeIfAbsent(awsCode == null || awsCode.isEmpty() ? "Unknown" : awsCode, k -> new LongAdder()).add(n);
        }

        long totalErrors() {
            long n = 0;
            for (LongAdder a : errors.values()) n += a.sum();
            return n;
        }
    }

    private void onSendOk(int msgs, long latencyNanos) {
        live.sentMsgs.add(msgs);
        live.sendRequests.increment();
        intervalSendLatency.record(latencyNanos);
        if (measuring) {
            measured.sentMsgs.add(msgs);
            measured.sendRequests.increment();
            measured.sendLatency.record(latencyNanos);
        }
    }

    private void countError(String awsCode, long count, LongAdder liveCounter, LongAdder measuredCounter) {
        live.error(awsCode, count);
        if (liveCounter != null) liveCounter.add(count);
        if (measuring) {
            measured.error(awsCode, count);
            if (measuredCounter != null) measuredCounter.add(count);
        }
    }

    /** Bound on the shards of one queue the producer tracks (the server's bound on partitions). */
    private static final int MAX_SHARDS = 4_096;

    // ------------------------------------------------------------------ routing

    /**
     * Leader address of each queue's partitions (shards), from the routing table; refreshed on failures. A
     * high-throughput FIFO queue has several shards, each holding the message groups that hash to it.
     */
    static final class Routes {
        private final PontoonClient client;
        private final List<String> bootstrap;
        private final Map<String, List<String>> shardsOfQueue = new ConcurrentHashMap<>();
        private volatile Map<String, String> leaderOfPartition = Map.of();
        private volatile boolean stale = true;
        private volatile long lastRefreshNanos;

        Routes(PontoonClient client, List<String> bootstrap) {
            this.client = client;
            this.bootstrap = bootstrap;
        }

        void markStale() {
            stale = true;
        }

        /** Called from producer threads only (blocking), at most every 200 ms. */
        void refreshIfStale() {
            if (!stale || System.nanoTime() - lastRefreshNanos < TimeUnit.MILLISECONDS.toNanos(200)) return;
            synchronized (this) {
                if (!stale) return;
                lastRefreshNanos = System.nanoTime();
                try {
                    GetRoutingTableResponse t = client.getRoutingTable();
                    Map<String, String> nodes = new HashMap<>();
                    for (NodeInfo n : t.getNodesList()) nodes.put(n.getNodeId(), n.getClientAddress());
                    Map<String, String> leaders = new HashMap<>();
                    for (PartitionInfo p : t.getPartitionsList()) {
                        String a = nodes.get(p.getLeaderNodeId());
                        if (a != null && !a.isEmpty()) leaders.put(p.getPartitionId(), a);
                    }
                    leaderOfPartition = Map.copyOf(leaders);
                    for (String q : List.copyOf(shardsOfQueue.keySet())) shardsOfQueue.put(q, client.lookupQueueShards(q));
                    stale = false;
                } catch (PontoonException e) {
                    // keep the old table; requests go to a bootstrap node, which forwards
                }
            }
        }

        void addQueue(String queue) {
            try {
                shardsOfQueue.put(queue, client.lookupQueueShards(queue));
            } catch (PontoonException e) {
                stale = true;
            }
        }

        String partition(String queue) {
            List<String> shards = shardsOfQueue.get(queue);
            return shards == null ? "" : shards.get(0);
        }

        int shardCount(String queue) {
            List<String> shards = shardsOfQueue.get(queue);
            return shards == null ? 1 : shards.size();
        }

        String leaderFor(String queue) {
            return leaderForShard(queue, 0);
        }

        /** The leader of shard {@code shard} of the queue; any node (which forwards) if unknown. */
        String leaderForShard(String queue, int shard) {
            List<String> shards = shardsOfQueue.get(queue);
            String a = shards == null || shard >= shards.size() ? null : leaderOfPartition.get(shards.get(shard));
            return a != null ? a : bootstrap.get(0);
        }
    }

    // ------------------------------------------------------------------ producer

    private final class Producer implements Runnable {
        private final int index;
        private final String queueName;
        private final String queueUrl;
        private final Routes routes;
        /** Null: straight to the partition leader over gRPC. */
        private final Sends aws;
        private final Semaphore window;
        private final Map<String, ManagedChannel> channels = new HashMap<>();
        private final String padding;
        private final double requestsPerSecond;
        /** FIFO only (else null): groups with a request in flight. */
        private final FifoMessages.GroupGate gate;
        /** FIFO: the number of this producer's next message (its deduplication id and group). */
        private long seq;

        Producer(int index, String queueName, Routes routes, Sends aws) {
            this.index = index;
            this.aws = aws;
            this.queueName = queueName;
            this.queueUrl = QueueUrls.toUrl(queueName);
            this.routes = routes;
            this.window = new Semaphore(opts.inFlight());
            this.padding = "x".repeat(opts.size());
            this.requestsPerSecond = opts.rate() == 0 ? 0 : (double) opts.rate() / opts.producers() / opts.batch();
            this.gate = opts.fifo() ? new FifoMessages.GroupGate(opts.groups()) : null;
        }

        /** FIFO on a sharded queue: the shard of the request being built, its request count, and per-shard group cursors. */
        private int shard;
        private long requests;
        private final long[] shardCursor = new long[MAX_SHARDS];
        private int[][] byShard;

        /**
         * FIFO: the groups of the next request's {@code n} messages; null for standard queues. On a queue with
         * several shards every request takes its groups from one shard, in turn, so it can go straight to that
         * shard's leader ({@link #shard}); otherwise groups are assigned round-robin.
         */
        private int[] nextGroups(int n) {
            shard = 0;
            if (gate == null) return null;
            int shards = routes.shardCount(queueName);
            if (shards > 1) {
                if (byShard == null || byShard.length != shards) {
                    byShard = FifoMessages.groupsByShard(groupIds, shards);
                }
                int s = (int) Math.floorMod(requests++, (long) shards);
                if (byShard[s].length >= n) {
                    shard = s;
                    int[] groups = new int[n];
                    for (int i = 0; i < n; i++) groups[i] = byShard[s][(int) Math.floorMod(shardCursor[s]++, (long) byShard[s].length)];
                    return groups;
                }
            }
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) groups[i] = FifoMessages.groupIndex(index, seq + i, opts.groups(), opts.batch());
            return groups;
        }

        /** FIFO: the group id of message {@code i} of the request. */
        private String groupId(int[] groups, int i) {
            return groupIds[groups[i]];
        }

        /** FIFO: the deduplication id of message {@code i} of the request. */
        private String dedupId(int i) {
            return FifoMessages.dedupId(runId, index, seq + i);
        }

        private ManagedChannel channel(String address) {
            return channels.computeIfAbsent(address, a -> withSigner(NettyChannelBuilder.forTarget(a, channelCredentials(opts)))
                    .directExecutor()
                    .maxInboundMessageSize(16 * 1024 * 1024)
                    .build());
        }

        /** A stub to the leader of the shard the request goes to, from the routing table. */
        private SqsGrpc.SqsStub leaderStub() {
            routes.refreshIfStale();
            return SqsGrpc.newStub(channel(routes.leaderForShard(queueName, shard))).withDeadlineAfter(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }

        private String body(long sentAtNanos) {
            if (opts.size() < 16) return padding;
            String ts = String.format("%016x", sentAtNanos);
            return ts + padding.substring(16);
        }

        @Override
        public void run() {
            long intervalNanos = requestsPerSecond > 0 ? (long) (1e9 / requestsPerSecond) : 0;
            long next = System.nanoTime() + (intervalNanos > 0 ? (long) (intervalNanos * ((double) index / opts.producers())) : 0);
            try {
                while (!stopping) {
                    if (intervalNanos > 0) {
                        long now = System.nanoTime();
                        if (now - next > TimeUnit.SECONDS.toNanos(1)) next = now;   // far behind: do not burst
                        while (next - now > 0 && !stopping) {
                            LockSupport.parkNanos(next - now);
                            now = System.nanoTime();
                        }
                        next += intervalNanos;
                        if (stopping) break;
                    }
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
                    int n = opts.batch();   // 1 in latency mode
                    int[] groups = nextGroups(n);
                    // FIFO: wait until none of the request's groups has one in flight (ordered producer)
                    if (groups != null && !gate.acquire(groups, n, () -> stopping)) {
                        window.release();
                        break;
                    }
                    SqsGrpc.SqsStub stub = aws != null ? null : leaderStub();
                    long t0 = System.nanoTime();
                    inFlight.incrementAndGet();
                    if (opts.mode() == LoadOptions.Mode.LATENCY) {
                        SendMessageRequest.Builder req = SendMessageRequest.newBuilder()
                                .setQueueUrl(queueUrl).setMessageBody(body(t0));
                        if (groups != null) req.setMessageGroupId(groupId(groups, 0)).setMessageDeduplicationId(dedupId(0));
                        seq += n;
                        Callback<SendMessageResponse> done = new Callback<>(t0, 1, groups) {
                            @Override
                            void ok(SendMessageResponse r, long latency) {
                                onSendOk(1, latency);
                            }
                        };
                        if (aws != null) aws.sendMessage(req.build(), done);
                        else stub.sendMessage(req.build(), done);
                    } else {
                        SendMessageBatchRequest.Builder b = SendMessageBatchRequest.newBuilder().setQueueUrl(queueUrl);
                        String body = body(t0);
                        for (int i = 0; i < n; i++) {
                            SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.newBuilder()
                                    .setId(ENTRY_IDS[i]).setMessageBody(body);
                            if (groups != null) e.setMessageGroupId(groupId(groups, i)).setMessageDeduplicationId(dedupId(i));
                            b.addEntries(e);
                        }
                        seq += n;
                        Callback<SendMessageBatchResponse> done = new Callback<>(t0, n, groups) {
                            @Override
                            void ok(SendMessageBatchResponse r, long latency) {
                                int okCount = r.getSuccessfulCount();
                                if (okCount > 0) onSendOk(okCount, latency);
                                for (BatchResultErrorEntry f : r.getFailedList()) {
                                    countError(f.getCode(), 1, live.sendFailedMsgs, measured.sendFailedMsgs);
                                }
                            }
                        };
                        if (aws != null) aws.sendMessageBatch(b.build(), done);
                        else stub.sendMessageBatch(b.build(), done);
                    }
                }
                // drain: wait for every outstanding request
                window.tryAcquire(opts.inFlight(), DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                for (ManagedChannel ch : channels.values()) ch.shutdownNow();
            }
        }

        /** Completion of one async send; releases the window slot. */
        private abstract class Callback<T> implements StreamObserver<T> {
            private final long t0;
            private final int msgs;
            private final int[] groups;   // FIFO: the groups to free in the gate, else null
            private T value;

            Callback(long t0, int msgs, int[] groups) {
                this.t0 = t0;
                this.msgs = msgs;
                this.groups = groups;
            }

            private void done() {
                if (groups != null) gate.release(groups, msgs);
                inFlight.decrementAndGet();
                window.release();
            }

            abstract void ok(T response, long latencyNanos);

            @Override
            public void onNext(T v) {
                value = v;
            }

            @Override
            public void onError(Throwable t) {
                try {
                    PontoonException e = PontoonException.from(t);
                    if (e.statusCode() == Status.Code.UNAVAILABLE || e.statusCode() == Status.Code.DEADLINE_EXCEEDED
                            || e.statusCode() == Status.Code.NOT_FOUND) {
                        routes.markStale();
                    }
                    countError(e.awsCode(), msgs, live.sendFailedMsgs, measured.sendFailedMsgs);
                } finally {
                    done();
                }
            }

            @Override
            public void onCompleted() {
                try {
                    ok(value, System.nanoTime() - t0);
                } finally {
                    done();
                }
            }
        }
    }

    private static final String[] ENTRY_IDS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    // ------------------------------------------------------------------ consumer

    private final class Consumer implements Runnable {
        private final String queueName;
        private final String queueUrl;
        private final Receives client;

        Consumer(String queueName, Receives client) {
            this.queueName = queueName;
            this.queueUrl = QueueUrls.toUrl(queueName);
            this.client = client;
        }

        @Override
        public void run() {
            ReceiveMessageRequest.Builder rb = ReceiveMessageRequest.newBuilder().setQueueUrl(queueUrl)
                    .setMaxNumberOfMessages(10).setWaitTimeSeconds(opts.waitTimeSeconds());
            if (fifoChecker != null) rb.addAllMessageSystemAttributeNames(FifoOrderChecker.SYSTEM_ATTRIBUTES);
            ReceiveMessageRequest receive = rb.build();
            while (!stopping) {
                List<Message> messages;
                long t0 = System.nanoTime();
                try {
                    ReceiveMessageResponse r = client.receiveMessage(receive);
                    messages = r.getMessagesList();
                } catch (PontoonException e) {
                    if (stopping) break;
                    countError(e.awsCode(), 1, null, null);
                    pause(100);
                    continue;
                }
                long now = System.nanoTime();
                boolean m = measuring;
                live.receiveRequests.increment();
                if (m) {
                    measured.receiveRequests.increment();
                    measured.receiveLatency.record(now - t0);
                }
                if (messages.isEmpty()) {
                    live.emptyReceives.increment();
                    if (m) measured.emptyReceives.increment();
                    continue;
                }
                live.receivedMsgs.add(messages.size());
                if (m) measured.receivedMsgs.add(messages.size());
                // before the delete: the group's next messages cannot be received until it is done
                if (fifoChecker != null) fifoChecker.check(queueName, messages);
                DeleteMessageBatchRequest.Builder del = DeleteMessageBatchRequest.newBuilder().setQueueUrl(queueUrl);
                for (int i = 0; i < messages.size(); i++) {
                    Message msg = messages.get(i);
                    if (m) {
                        long sentAt = sentAt(msg.getBody());
                        if (sentAt != Long.MIN_VALUE) measured.endToEndLatency.record(now - sentAt);
                    }
                    del.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId(ENTRY_IDS[i])
                            .setReceiptHandle(msg.getReceiptHandle()));
                }
                long d0 = System.nanoTime();
                try {
                    DeleteMessageBatchResponse r = client.deleteMessageBatch(del.build());
                    long dl = System.nanoTime() - d0;
                    live.deletedMsgs.add(r.getSuccessfulCount());
                    if (measuring) {
                        measured.deletedMsgs.add(r.getSuccessfulCount());
                        measured.deleteLatency.record(dl);
                    }
                    for (BatchResultErrorEntry f : r.getFailedList()) {
                        countError(f.getCode(), 1, live.deleteFailedMsgs, measured.deleteFailedMsgs);
                    }
                } catch (PontoonException e) {
                    countError(e.awsCode(), messages.size(), live.deleteFailedMsgs, measured.deleteFailedMsgs);
                }
            }
        }
    }

    /** The send time a producer wrote at the start of the body, or Long.MIN_VALUE. */
    static long sentAt(String body) {
        if (body.length() < 16) return Long.MIN_VALUE;
        try {
            return Long.parseUnsignedLong(body, 0, 16, 16);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ run

    static final class SetupException extends Exception {
        SetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Summary run() throws SetupException, InterruptedException {
        List<String> queues = opts.queueNames();
        if (!opts.awsEndpoints().isEmpty()) {
            out.println("  through the AWS SDK for Java v2 and the HTTP gateway at " + opts.awsEndpoints() + " (setup over gRPC)");
        }
        out.printf(Locale.ROOT, "pontoon-load: mode=%s queue-type=%s endpoints=%s queues=%s producers=%d consumers=%d "
                        + "size=%d batch=%d in-flight=%d rate=%s warmup=%ds duration=%ds wait-time=%ds%n",
                opts.mode().cliName(), opts.fifo() ? "fifo groups=" + opts.groups() : "standard", opts.endpoints(),
                opts.queueNamesDescription(), opts.producers(), opts.consumers(), opts.size(), opts.batch(), opts.inFlight(),
                opts.rate() == 0 ? "unlimited" : opts.rate() + "/s", opts.warmupSeconds(), opts.durationSeconds(),
                opts.waitTimeSeconds());
        if (opts.fifo()) {
            out.printf("  fifo: queue attributes %s; run id %s (deduplication ids %s-<producer>-<n>); at most 1 request "
                            + "in flight per (producer, group)%s%n", opts.queueAttributes(), runId, runId,
                    fifoChecker != null ? "; consumers check the order per group" : "");
        }

        PontoonClient admin = PontoonClient.builder().bootstrap(opts.endpoints()).tlsTrust(tlsTrust(opts)).credentials(accessKeyId(), secretAccessKey()).build();
        List<Receives> consumerClients = new ArrayList<>();
        // --aws-endpoint: one SDK client per gateway, shared by the producers and consumers given to it.
        List<AwsSdkCalls> aws = opts.awsEndpoints().stream()
                .map(e -> new AwsSdkCalls(e, opts.producers() * opts.inFlight() + opts.consumers() + 16, tlsTrust(opts))).toList();
        List<Thread> threads = new ArrayList<>();
        try {
            Routes routes = new Routes(admin, opts.endpoints());
            for (String q : queues) {
                createQueue(admin, q);
                routes.addQueue(q);
            }
            routes.refreshIfStale();
            for (String q : queues) {
                out.printf("  queue %s -> partition %s, leader %s%n", q, routes.partition(q), routes.leaderFor(q));
            }

            for (int i = 0; i < opts.consumers(); i++) {
                // One client (connection set) per consumer, like one connection per perf-test consumer.
                Receives c = aws.isEmpty() ? grpc(PontoonClient.builder().bootstrap(opts.endpoints()).tlsTrust(tlsTrust(opts)).credentials(accessKeyId(), secretAccessKey()).build()) : aws.get(i % aws.size());
                if (aws.isEmpty()) consumerClients.add(c);
                threads.add(new Thread(new Consumer(queues.get(i % queues.size()), c), "consumer-" + i));
            }
            for (int i = 0; i < opts.producers(); i++) {
                Sends through = aws.isEmpty() ? null : aws.get(i % aws.size());
                threads.add(new Thread(new Producer(i, queues.get(i % queues.size()), routes, through), "producer-" + i));
            }

            long start = System.nanoTime();
            long measureStart = start + TimeUnit.SECONDS.toNanos(opts.warmupSeconds());
            long end = measureStart + TimeUnit.SECONDS.toNanos(opts.durationSeconds());
            threads.forEach(Thread::start);
            measuring = opts.warmupSeconds() == 0;
            long measuredFrom = measuring ? start : 0;

            long[] last = new long[3];
            long lastTick = start;
            for (int second = 1; ; second++) {
                long tick = start + TimeUnit.SECONDS.toNanos(second);
                sleepUntil(Math.min(tick, end));
                long now = System.nanoTime();
                if (!measuring && now - measureStart >= 0) {
                    measuring = true;
                    measuredFrom = now;
                }
                printInterval(now - start, now - lastTick, last);
                lastTick = now;
                if (now - end >= 0) break;
            }
            measuring = false;
            long measuredNanos = System.nanoTime() - measuredFrom;
            stopping = true;
            for (Thread t : threads) t.join(DRAIN_TIMEOUT_MS + 25_000);

            Summary summary = new Summary(opts, measured, measuredNanos / 1e9, live.sentMsgs.sum() - live.receivedMsgs.sum(),
                    fifoChecker == null ? null : fifoChecker.result());
            summary.print(out);
            if (opts.jsonFile() != null) {
                try {
                    Files.writeString(Path.of(opts.jsonFile()), summary.toJson());
                    out.println("summary written to " + opts.jsonFile());
                    Path plot = latencyPlotFile(Path.of(opts.jsonFile()));
                    Files.writeString(plot, summary.latencySvg());
                    out.println("latency plot written to " + plot);
                } catch (IOException e) {
                    System.err.println("error: cannot write " + opts.jsonFile() + ": " + e);
                }
            }
            return summary;
        } finally {
            stopping = true;
            for (Thread t : threads) t.interrupt();
            for (Receives c : consumerClients) c.close();
            aws.forEach(AwsSdkCalls::close);
            admin.close();
        }
    }

    /** Creates (or finds) a queue, waiting up to {@value #SETUP_TIMEOUT_MS} ms for a cluster that is still starting. */
    private void createQueue(PontoonClient admin, String queue) throws SetupException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETUP_TIMEOUT_MS);
        boolean reported = false;
        while (true) {
            try {
                admin.createQueue(queue, opts.queueAttributes());
                return;
            } catch (PontoonException e) {
                if (!e.isRetryable() || System.nanoTime() - deadline > 0) {
                    String hint = "QueueAlreadyExists".equals(e.awsCode())
                            ? " (it exists with other attributes, e.g. another --groups: use another --queue)" : "";
                    throw new SetupException("cannot create queue " + queue + ": " + e.getMessage() + hint, e);
                }
                if (!reported) {
                    out.println("  waiting for the cluster: " + e.getMessage());
                    reported = true;
                }
                Thread.sleep(500);
            }
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) - deadline < 0) {
            TimeUnit.NANOSECONDS.sleep(deadline - now);
        }
    }

    private void printInterval(long elapsed, long intervalNanos, long[] last) {
        long sent = live.sentMsgs.sum(), recv = live.receivedMsgs.sum(), del = live.deletedMsgs.sum();
        double secs = Math.max(1e-9, intervalNanos / 1e9);
        Latencies h = intervalSendLatency;
        intervalSendLatency = new Latencies();
        out.printf(Locale.ROOT, "[%4.0fs]%s sent %,9.0f msg/s  recv %,9.0f msg/s  del %,9.0f msg/s  send p50 %s p99 %s  in-flight %d  errors %d%s%n",
                elapsed / 1e9, measuring ? "    " : " (w)",
                (sent - last[0]) / secs, (recv - last[1]) / secs, (del - last[2]) / secs,
                ms(h.percentile(50)), ms(h.percentile(99)), inFlight.get(), live.totalErrors(),
                fifoChecker == null ? "" : "  order-violations " + fifoChecker.orderViolations());
        last[0] = sent;
        last[1] = recv;
        last[2] = del;
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
    }

    // ------------------------------------------------------------------ summary

    /** Final figures of the measurement window. */
    static final class Summary {
        final LoadOptions opts;
        final Stats s;
        final double seconds;
        final long backlog;
        /** FIFO with consumers: the order check (whole run); else null. */
        final FifoOrderChecker.Result fifo;

        Summary(LoadOptions opts, Stats s, double seconds, long backlog) {
            this(opts, s, seconds, backlog, null);
        }

        Summary(LoadOptions opts, Stats s, double seconds, long backlog, FifoOrderChecker.Result fifo) {
            this.opts = opts;
            this.s = s;
            this.seconds = seconds;
            this.backlog = backlog;
            this.fifo = fifo;
        }

        long totalErrors() {
            return s.totalErrors();
        }

        /** Any failed request or FIFO order violation: exit code 1. */
        boolean failed() {
            return totalErrors() > 0 || (fifo != null && fifo.orderViolations() > 0);
        }

        double rate(LongAdder a) {
            return seconds <= 0 ? 0 : a.sum() / seconds;
        }

        Map<String, Long> errors() {
            Map<String, Long> m = new TreeMap<>();
            s.errors.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }

        void print(PrintStream out) {
            out.println();
            out.printf(Locale.ROOT, "==== summary (%s, %s, %.1f s measured) ====%n", opts.mode().cliName(),
                    opts.queueTypeDescription(), seconds);
            out.printf(Locale.ROOT, "sent      %,12d msgs  %,10.0f msg/s  (%,d requests, %,d msgs failed)%n",
                    s.sentMsgs.sum(), rate(s.sentMsgs), s.sendRequests.sum(), s.sendFailedMsgs.sum());
            out.printf(Locale.ROOT, "received  %,12d msgs  %,10.0f msg/s  (%,d requests, %,d empty)%n",
                    s.receivedMsgs.sum(), rate(s.receivedMsgs), s.receiveRequests.sum(), s.emptyReceives.sum());
            out.printf(Locale.ROOT, "deleted   %,12d msgs  %,10.0f msg/s  (%,d msgs failed)%n",
                    s.deletedMsgs.sum(), rate(s.deletedMsgs), s.deleteFailedMsgs.sum());
            if (opts.consumers() > 0) out.printf(Locale.ROOT, "backlog at end (sent - received, whole run): %,d%n", backlog);
            if (fifo != null) {
                out.printf(Locale.ROOT, "fifo order (whole run): %,d order violations (producer order %,d, SequenceNumber order %,d), "
                                + "%,d duplicates; %,d msgs checked in %,d groups%s%n",
                        fifo.orderViolations(), fifo.producerOrderViolations(), fifo.sequenceNumberViolations(),
                        fifo.duplicates(), fifo.checked(), fifo.groups(),
                        fifo.foreign() > 0 ? String.format(Locale.ROOT, "; %,d msgs of earlier runs ignored", fifo.foreign()) : "");
            }
            out.println("latency (ms)         count       mean        p50        p90        p99      p99.9        max");
            printLatency(out, opts.mode() == LoadOptions.Mode.LATENCY ? "SendMessage" : "SendMessageBatch", s.sendLatency);
            printLatency(out, "ReceiveMessage", s.receiveLatency);
            printLatency(out, "DeleteMessageBatch", s.deleteLatency);
            printLatency(out, "end-to-end", s.endToEndLatency);
            Map<String, Long> errors = errors();
            out.println("errors: " + (errors.isEmpty() ? "none" : errors));
        }

        /** The HDR latency plot of the measured window, one line per operation. */
        String latencySvg() {
            Map<String, Latencies> series = new java.util.LinkedHashMap<>();
            series.put(opts.mode() == LoadOptions.Mode.LATENCY ? "SendMessage" : "SendMessageBatch", s.sendLatency);
            series.put("ReceiveMessage", s.receiveLatency);
            series.put("DeleteMessageBatch", s.deleteLatency);
            series.put("end-to-end", s.endToEndLatency);
            return LatencyPlot.svg(String.format(Locale.ROOT, "%s, %s: %,.0f msg/s sent, %,.0f deleted (%.0f s measured)", opts.mode().cliName(),
                    opts.queueTypeDescription(), rate(s.sentMsgs), rate(s.deletedMsgs), seconds), series);
        }

        private static void printLatency(PrintStream out, String name, Latencies h) {
            if (h.count() == 0) return;
            out.printf(Locale.ROOT, "%-18s %,9d %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f%n", name, h.count(),
                    h.mean() / 1e6, h.percentile(50) / 1e6, h.percentile(90) / 1e6, h.percentile(99) / 1e6,
                    h.percentile(99.9) / 1e6, h.max() / 1e6);
        }

        String toJson() {
            StringBuilder j = new StringBuilder(2048);
            j.append("{\n");
            j.append("  \"timestamp\": ").append(str(Instant.now().toString())).append(",\n");
            j.append("  \"options\": {");
            j.append("\"mode\": ").append(str(opts.mode().cliName()));
            j.append(", \"endpoints\": [");
            for (int i = 0; i < opts.endpoints().size(); i++) j.append(i == 0 ? "" : ", ").append(str(opts.endpoints().get(i)));
            j.append("], \"queue\": ").append(str(opts.queue()));
            j.append(", \"queues\": ").append(opts.queues());
            j.append(", \"queue_type\": ").append(str(opts.fifo() ? "fifo" : "standard"));
            j.append(", \"groups\": ").append(opts.groups());
            j.append(", \"producers\": ").append(opts.producers());
            j.append(", \"consumers\": ").append(opts.consumers());
            j.append(", \"size\": ").append(opts.size());
            j.append(", \"batch\": ").append(opts.batch());
            j.append(", \"in_flight\": ").append(opts.inFlight());
            j.append(", \"rate\": ").append(opts.rate());
            j.append(", \"warmup_s\": ").append(opts.warmupSeconds());
            j.append(", \"duration_s\": ").append(opts.durationSeconds());
            j.append(", \"wait_time_s\": ").append(opts.waitTimeSeconds());
            j.append("},\n");
            j.append("  \"measured_seconds\": ").append(num(seconds)).append(",\n");
            j.append("  \"sent\": {\"messages\": ").append(s.sentMsgs.sum())
                    .append(", \"requests\": ").append(s.sendRequests.sum())
                    .append(", \"failed_messages\": ").append(s.sendFailedMsgs.sum())
                    .append(", \"msgs_per_s\": ").append(num(rate(s.sentMsgs))).append("},\n");
            j.append("  \"received\": {\"messages\": ").append(s.receivedMsgs.sum())
                    .append(", \"requests\": ").append(s.receiveRequests.sum())
                    .append(", \"empty_requests\": ").append(s.emptyReceives.sum())
                    .append(", \"msgs_per_s\": ").append(num(rate(s.receivedMsgs))).append("},\n");
            j.append("  \"deleted\": {\"messages\": ").append(s.deletedMsgs.sum())
                    .append(", \"failed_messages\": ").append(s.deleteFailedMsgs.sum())
                    .append(", \"msgs_per_s\": ").append(num(rate(s.deletedMsgs))).append("},\n");
            j.append("  \"backlog_at_end\": ").append(backlog).append(",\n");
            j.append("  \"fifo_order\": ");
            if (fifo == null) {
                j.append("null");
            } else {
                j.append("{\"order_violations\": ").append(fifo.orderViolations())
                        .append(", \"producer_order_violations\": ").append(fifo.producerOrderViolations())
                        .append(", \"sequence_number_violations\": ").append(fifo.sequenceNumberViolations())
                        .append(", \"duplicates\": ").append(fifo.duplicates())
                        .append(", \"checked_messages\": ").append(fifo.checked())
                        .append(", \"groups_seen\": ").append(fifo.groups())
                        .append(", \"foreign_messages\": ").append(fifo.foreign()).append('}');
            }
            j.append(",\n");
            j.append("  \"latency_ms\": {\n");
            j.append("    \"send\": ").append(latencyJson(s.sendLatency)).append(",\n");
            j.append("    \"receive\": ").append(latencyJson(s.receiveLatency)).append(",\n");
            j.append("    \"delete\": ").append(latencyJson(s.deleteLatency)).append(",\n");
            j.append("    \"end_to_end\": ").append(latencyJson(s.endToEndLatency)).append("\n");
            j.append("  },\n");
            j.append("  \"errors\": {");
            boolean first = true;
            for (Map.Entry<String, Long> e : errors().entrySet()) {
                j.append(first ? "" : ", ").append(str(e.getKey())).append(": ").append(e.getValue());
                first = false;
            }
            j.append("}\n}\n");
            return j.toString();
        }

        static String latencyJson(Latencies h) {
            return "{\"count\": " + h.count()
                    + ", \"mean\": " + num(h.mean() / 1e6)
                    + ", \"p50\": " + num(h.percentile(50) / 1e6)
                    + ", \"p90\": " + num(h.percentile(90) / 1e6)
                    + ", \"p99\": " + num(h.percentile(99) / 1e6)
                    + ", \"p99_9\": " + num(h.percentile(99.9) / 1e6)
                    + ", \"max\": " + num(h.max() / 1e6) + "}";
        }

        static String num(double d) {
            if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
            return String.format(Locale.ROOT, "%.3f", d);
        }

        static String str(String s) {
            return JsonText.quote(s);
        }
    }

    /** --tls-ca: the CA file to trust, or null (plaintext). */
    static java.nio.file.Path tlsTrust(LoadOptions opts) {
        return opts.tlsCa() == null ? null : java.nio.file.Path.of(opts.tlsCa());
    }

    /** Plaintext, or TLS trusting --tls-ca. */
    static io.grpc.ChannelCredentials channelCredentials(LoadOptions opts) {
        if (opts.tlsCa() == null) {
            return io.grpc.InsecureChannelCredentials.create();
        }
        try {
            return io.grpc.TlsChannelCredentials.newBuilder().trustManager(new java.io.File(opts.tlsCa())).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("--tls-ca " + opts.tlsCa() + ": " + e.getMessage(), e);
        }
    }

    /** PONTOON_ACCESS_KEY_ID: sign every call (a cluster with auth.mode=sigv4), as the CLI does. */
    static String accessKeyId() {
        String id = System.getenv("PONTOON_ACCESS_KEY_ID");
        return id == null || id.isBlank() ? null : id;
    }

    static String secretAccessKey() {
        return System.getenv("PONTOON_SECRET_ACCESS_KEY");
    }

    static NettyChannelBuilder withSigner(NettyChannelBuilder b) {
        return accessKeyId() == null ? b : b.intercept(new io.pontoon.api.auth.SigningInterceptor(accessKeyId(), secretAccessKey(), "us-east-1"));
    }

    /** Beside {@code result.json}: {@code result-latency.svg}. */
    static Path latencyPlotFile(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(stem + "-latency.svg");
    }
}
