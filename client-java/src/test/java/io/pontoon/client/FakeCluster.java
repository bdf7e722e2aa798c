package io.pontoon.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * In-process fake of a Pontoon cluster for client unit tests: N nodes sharing one in-memory SQS
 * state, one partition "p1" hosting every queue, a configurable leader, and per-node failure
 * injection. Not a model of the real server beyond what the client needs.
 */
final class FakeCluster implements AutoCloseable {
    static final String PARTITION = "p1";

    final class Node {
        final String id;
        final String address;
        final Server server;
        volatile Status failWith; // non-null: every call fails with this status
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        Node(String id, String address) throws Exception {
            this.id = id;
            this.address = address;
            ServerInterceptor interceptor = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                    String method = call.getMethodDescriptor().getBareMethodName();
                    calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
                    Status fail = failWith;
                    if (fail != null) {
                        Metadata trailers = new Metadata();
                        trailers.put(PontoonErrors.ERROR_DETAIL_KEY, ErrorDetail.newBuilder()
                                .setAwsCode(AwsErrorCodes.SERVICE_UNAVAILABLE).setMessage("injected").build());
                        call.close(fail, trailers);
                        return new ServerCall.Listener<>() {};
                    }
                    return next.startCall(call, headers);
                }
            };
            this.server = InProcessServerBuilder.forName(address)
                    .addService(ServerInterceptors.intercept(new SqsImpl(), interceptor))
                    .addService(ServerInterceptors.intercept(new ClusterImpl(), interceptor))
                    .build().start();
        }

        int calls(String method) {
            AtomicInteger n = calls.get(method);
            return n == null ? 0 : n.get();
        }
    }

    static final class FakeQueue {
        final String name;
        final Map<String, String> attributes = new TreeMap<>();
        final Map<String, String> tags = new TreeMap<>();
        final ArrayDeque<Message> visible = new ArrayDeque<>();
        final Map<String, Message> inFlight = new LinkedHashMap<>();

        FakeQueue(String name) {
            this.name = name;
        }
    }

    final List<Node> nodes = new ArrayList<>();
    final Map<String, FakeQueue> queues = new ConcurrentHashMap<>();
    final List<Integer> sendBatchSizes = new CopyOnWriteArrayList<>();
    final List<String> deletedHandles = new CopyOnWriteArrayList<>();
    final List<ChangeMessageVisibilityBatchRequestEntry> visibilityChanges = new CopyOnWriteArrayList<>();
    /** Per-entry failures to inject in SendMessageBatch: bodies with this prefix fail. */
    volatile String failBodyPrefix;
    /** Delay of each SendMessageBatch, to observe the in-flight window. */
    volatile long sendBatchDelayMs;
    final AtomicInteger concurrentBatches = new AtomicInteger();
    /** Long polls the fake is still serving: a cancelled one stays here until the server side sees the cancellation. */
    final AtomicInteger openLongPolls = new AtomicInteger();
    final AtomicInteger maxConcurrentBatches = new AtomicInteger();
    volatile String leaderId;
    private final String prefix = "fake-" + UUID.randomUUID().toString().substring(0, 8);

    FakeCluster(int nodeCount) throws Exception {
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new Node("n" + i, prefix + "-n" + i + ":700" + i));
        }
        leaderId = "n0";
    }

    Node node(int i) {
        return nodes.get(i);
    }

    Function<String, ManagedChannel> channelFactory() {
        return address -> InProcessChannelBuilder.forName(address).build();
    }

    PontoonClient.Builder clientBuilder() {
        return PontoonClient.builder().bootstrap(node(0).address).channelFactory(channelFactory())
                .backoffBaseMs(1).backoffMaxMs(5).requestTimeoutMs(5_000);
    }

    @Override
    public void close() {
        for (Node n : nodes) n.server.shutdownNow();
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private FakeQueue queue(String url) {
        String name;
        try {
            name = QueueUrls.nameOf(url);
        } catch (IllegalArgumentException e) {
            throw PontoonErrors.toException(AwsErrorCodes.INVALID_ADDRESS, e.getMessage(), true);
        }
        FakeQueue q = queues.get(name);
        if (q == null) throw PontoonErrors.toException(AwsErrorCodes.NON_EXISTENT_QUEUE, "The specified queue does not exist.", true);
        return q;
    }

    private static <T> void reply(StreamObserver<T> obs, java.util.function.Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (io.grpc.StatusRuntimeException e) {
            obs.onError(e);
            return;
        }
        obs.onNext(value);
        obs.onCompleted();
    }

    private Message enqueue(FakeQueue q, String body, Map<String, MessageAttributeValue> attrs) {
        Message m = Message.newBuilder().setMessageId(UUID.randomUUID().toString()).setBody(body)
                .setMd5OfBody(md5(body)).putAllMessageAttributes(attrs).build();
        q.visible.addLast(m);
        q.notifyAll(); // wakes long polls (the caller holds q's lock)
        return m;
    }

    final class ClusterImpl extends ClusterGrpc.ClusterImplBase {
        @Override
        public void getRoutingTable(GetRoutingTableRequest request, StreamObserver<GetRoutingTableResponse> obs) {
            reply(obs, () -> {
                GetRoutingTableResponse.Builder b = GetRoutingTableResponse.newBuilder().setEpoch(1).setControllerPartitionId(PARTITION);
                for (Node n : nodes) b.addNodes(NodeInfo.newBuilder().setNodeId(n.id).setClientAddress(n.address));
                PartitionInfo.Builder p = PartitionInfo.newBuilder().setPartitionId(PARTITION).setLeaderNodeId(leaderId).setLeaderTerm(1);
                for (Node n : nodes) p.addReplicaNodeIds(n.id);
                return b.addPartitions(p).build();
            });
        }

        @Override
        public void lookupQueue(LookupQueueRequest request, StreamObserver<LookupQueueResponse> obs) {
            reply(obs, () -> {
                if (!queues.containsKey(request.getQueueName())) {
                    throw PontoonErrors.toException(AwsErrorCodes.NON_EXISTENT_QUEUE, "no such queue", true);
                }
                return LookupQueueResponse.newBuilder().setPartitionId(PARTITION).setEpoch(1).build();
            });
        }
    }

    final class SqsImpl extends SqsGrpc.SqsImplBase {
        @Override
        public void createQueue(CreateQueueRequest r, StreamObserver<CreateQueueResponse> obs) {
            reply(obs, () -> {
                if (!QueueUrls.isValidName(r.getQueueName())) {
                    throw PontoonErrors.toException(AwsErrorCodes.INVALID_PARAMETER_VALUE, "bad queue name", true);
                }
                synchronized (FakeCluster.this) {
                    FakeQueue existing = queues.get(r.getQueueName());
                    if (existing != null && !existing.attributes.equals(new TreeMap<>(r.getAttributesMap()))) {
                        throw PontoonErrors.toException(AwsErrorCodes.QUEUE_ALREADY_EXISTS, "different attributes", true);
                    }
                    if (existing == null) {
                        FakeQueue q = new FakeQueue(r.getQueueName());
                        q.attributes.putAll(r.getAttributesMap());
                        q.tags.putAll(r.getTagsMap());
                        queues.put(q.name, q);
                    }
                }
                return CreateQueueResponse.newBuilder().setQueueUrl(QueueUrls.toUrl(r.getQueueName())).build();
            });
        }

        @Override
        public void getQueueUrl(GetQueueUrlRequest r, StreamObserver<GetQueueUrlResponse> obs) {
            reply(obs, () -> GetQueueUrlResponse.newBuilder().setQueueUrl(queue(QueueUrls.toUrl(r.getQueueName())).name.isEmpty()
                    ? "" : QueueUrls.toUrl(r.getQueueName())).build());
        }

        @Override
        public void listQueues(ListQueuesRequest r, StreamObserver<ListQueuesResponse> obs) {
            reply(obs, () -> {
                List<String> names = new ArrayList<>(queues.keySet());
                Collections.sort(names);
                ListQueuesResponse.Builder b = ListQueuesResponse.newBuilder();
                for (String n : names) if (n.startsWith(r.getQueueNamePrefix())) b.addQueueUrls(QueueUrls.toUrl(n));
                return b.build();
            });
        }

        @Override
        public void getQueueAttributes(GetQueueAttributesRequest r, StreamObserver<GetQueueAttributesResponse> obs) {
            reply(obs, () -> {
                FakeQueue q = queue(r.getQueueUrl());
                synchronized (q) {
                    Map<String, String> all = new HashMap<>(q.attributes);
                    all.put("ApproximateNumberOfMessages", Integer.toString(q.visible.size()));
                    all.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(q.inFlight.size()));
                    return GetQueueAttributesResponse.newBuilder().putAllAttributes(all).build();
                }
            });
        }

        @Override
        public void deleteQueue(DeleteQueueRequest r, StreamObserver<DeleteQueueResponse> obs) {
            reply(obs, () -> {
                queues.remove(queue(r.getQueueUrl()).name);
                return DeleteQueueResponse.getDefaultInstance();
            });
        }

        @Override
        public void purgeQueue(PurgeQueueRequest r, StreamObserver<PurgeQueueResponse> obs) {
            reply(obs, () -> {
                FakeQueue q = queue(r.getQueueUrl());
                synchronized (q) {
                    q.visible.clear();
                }
                return PurgeQueueResponse.getDefaultInstance();
            });
        }

        @Override
        public void sendMessage(SendMessageRequest r, StreamObserver<SendMessageResponse> obs) {
            reply(obs, () -> {
                FakeQueue q = queue(r.getQueueUrl());
                if (r.getMessageBody().isEmpty()) {
                    throw PontoonErrors.toException(AwsErrorCodes.MISSING_PARAMETER, "MessageBody is required", true);
                }
                Message m;
                synchronized (q) {
                    m = enqueue(q, r.getMessageBody(), r.getMessageAttributesMap());
                }
                return SendMessageResponse.newBuilder().setMessageId(m.getMessageId()).setMd5OfMessageBody(m.getMd5OfBody()).build();
            });
        }

        @Override
        public void sendMessageBatch(SendMessageBatchRequest r, StreamObserver<SendMessageBatchResponse> obs) {
            int now = concurrentBatches.incrementAndGet();
            maxConcurrentBatches.accumulateAndGet(now, Math::max);
            try {
                if (sendBatchDelayMs > 0) Thread.sleep(sendBatchDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrentBatches.decrementAndGet();
            }
            reply(obs, () -> {
                FakeQueue q = queue(r.getQueueUrl());
                if (r.getEntriesCount() > 10) {
                    throw PontoonErrors.toException(AwsErrorCodes.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, "too many", true);
                }
                sendBatchSizes.add(r.getEntriesCount());
                SendMessageBatchResponse.Builder b = SendMessageBatchResponse.newBuilder();
                synchronized (q) {
                    for (SendMessageBatchRequestEntry e : r.getEntriesList()) {
                        String failPrefix = failBodyPrefix;
                        if (failPrefix != null && e.getMessageBody().startsWith(failPrefix)) {
                            b.addFailed(BatchResultErrorEntry.newBuilder().setId(e.getId())
                                    .setCode(AwsErrorCodes.INVALID_MESSAGE_CONTENTS).setMessage("bad body").setSenderFault(true));
                            continue;
                        }
                        Message m = enqueue(q, e.getMessageBody(), e.getMessageAttributesMap());
                        b.addSuccessful(SendMessageBatchResultEntry.newBuilder().setId(e.getId())
                                .setMessageId(m.getMessageId()).setMd5OfMessageBody(m.getMd5OfBody()));
                    }
                }
                return b.build();
            });
        }

        @Override
        public void receiveMessage(ReceiveMessageRequest r, StreamObserver<ReceiveMessageResponse> obs) {
            FakeQueue q;
            try {
                q = queue(r.getQueueUrl());
            } catch (io.grpc.StatusRuntimeException e) {
                obs.onError(e);
                return;
            }
            int max = r.hasMaxNumberOfMessages() ? r.getMaxNumberOfMessages() : 1;
            long deadline = System.currentTimeMillis() + (r.hasWaitTimeSeconds() ? r.getWaitTimeSeconds() * 1000L : 0);
            io.grpc.Context ctx = io.grpc.Context.current();
            ReceiveMessageResponse.Builder b = ReceiveMessageResponse.newBuilder();
            openLongPolls.incrementAndGet();
            try {
                synchronized (q) {
                    // A long poll waits on the queue until a message arrives or its time is up; every 50 ms it also
                    // looks whether the client has gone (a cancellation does not notify the queue).
                    long remaining;
                    while (q.visible.isEmpty() && (remaining = deadline - System.currentTimeMillis()) > 0 && !ctx.isCancelled()) {
                        try {
                            q.wait(Math.min(remaining, 50));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (ctx.isCancelled()) {
                        return;
                    }
                    while (b.getMessagesCount() < max && !q.visible.isEmpty()) {
                        Message m = q.visible.pollFirst();
                        String handle = UUID.randomUUID().toString();
                        q.inFlight.put(handle, m);
                        b.addMessages(m.toBuilder().setReceiptHandle(handle).putAttributes("ApproximateReceiveCount", "1"));
                    }
                }
            } finally {
                openLongPolls.decrementAndGet();
            }
            obs.onNext(b.build());
            obs.onCompleted();
        }

        @Override
        public void deleteMessage(DeleteMessageRequest r, StreamObserver<DeleteMessageResponse> obs) {
            reply(obs, () -> {
                FakeQueue q = queue(r.getQueueUrl());
                synchronized (q) {
                    q.inFlight.remove(r.getReceiptHandle());
                }
                deletedHandles.add(r.getReceiptHandle());
                return DeleteMessageResponse.getDefaultInstance();
            });
        }

        @Override
        public void deleteMessageBatch(DeleteMessageBatchRequest r, StreamObserver<DeleteMessageBatchResponse> obs) {
            reply(obs, () -> {
                FakeQueue q = queue(r.getQueueUrl());
                DeleteMessageBatchResponse.Builder b = DeleteMessageBatchResponse.newBuilder();
                synchronized (q) {
                    for (DeleteMessageBatchRequestEntry e : r.getEntriesList()) {
                        q.inFlight.remove(e.getReceiptHandle());
                        deletedHandles.add(e.getReceiptHandle());
                        b.addSuccessful(DeleteMessageBatchResultEntry.newBuilder().setId(e.getId()));
                    }
                }
                return b.build();
            });
        }

        @Override
        public void changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest r,
                                                 StreamObserver<ChangeMessageVisibilityBatchResponse> obs) {
            reply(obs, () -> {
                FakeQueue q = queue(r.getQueueUrl());
                ChangeMessageVisibilityBatchResponse.Builder b = ChangeMessageVisibilityBatchResponse.newBuilder();
                synchronized (q) {
                    for (ChangeMessageVisibilityBatchRequestEntry e : r.getEntriesList()) {
                        visibilityChanges.add(e);
                        Message m = q.inFlight.get(e.getReceiptHandle());
                        if (m == null) {
                            b.addFailed(BatchResultErrorEntry.newBuilder().setId(e.getId())
                                    .setCode(AwsErrorCodes.MESSAGE_NOT_INFLIGHT).setSenderFault(true));
                            continue;
                        }
                        if (e.getVisibilityTimeout() == 0) {
                            q.inFlight.remove(e.getReceiptHandle());
                            q.visible.addFirst(m.toBuilder().clearReceiptHandle().build());
                            q.notifyAll();
                        }
                        b.addSuccessful(ChangeMessageVisibilityBatchResultEntry.newBuilder().setId(e.getId()));
                    }
                }
                return b.build();
            });
        }
    }
}
