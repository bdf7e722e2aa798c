package io.pontoon.client;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Java client for Pontoon's SQS-compatible API.
 *
 * <p>Routing: the client fetches the routing table from any bootstrap node, caches the partition of
 * each queue (via {@code LookupQueue}) and sends each queue request to the leader of that partition;
 * queue-metadata calls (CreateQueue, GetQueueUrl, ListQueues, DeleteQueue) go to the controller
 * leader. Any node accepts any request and forwards it, so routing is only an optimisation.
 *
 * <p>Retries: on UNAVAILABLE (no leader, node down, connection failure), DEADLINE_EXCEEDED, ABORTED
 * and RequestThrottled, the client refreshes the routing table and retries on another node, up to
 * {@link ClientConfig#maxAttempts()} attempts, sleeping an exponential backoff with jitter capped at
 * {@link ClientConfig#backoffMaxMs()}. Every SQS action is retried: standard-queue semantics are
 * at-least-once, so a retried SendMessage whose first attempt had in fact been committed produces
 * a <b>duplicate</b> (FIFO queues deduplicate by MessageDeduplicationId within 5 minutes). A retried
 * ReceiveMessage may leave the first attempt's messages in flight until their visibility timeout
 * expires. A DeleteQueue (PurgeQueue) retried after an attempt with unknown outcome that then fails
 * with NonExistentQueue (PurgeQueueInProgress) is reported as success.
 *
 * <p>Errors are thrown as {@link PontoonException}. Thread-safe; create one per application.
 */
public final class PontoonClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PontoonClient.class.getName());

    private final ClientConfig config;
    private final Router router;
    private final StreamClient streams = new StreamClient(this);
    private final TopicClient topics = new TopicClient(this);

    private PontoonClient(ClientConfig config, Function<String, ManagedChannel> channelFactory) {
        this.config = config;
        this.router = new Router(config, channelFactory);
    }

    public static Builder builder() {
        return new Builder();
    }

    public ClientConfig config() {
        return config;
    }

    private static Function<String, ManagedChannel> defaultChannelFactory(ClientConfig config, java.nio.file.Path tlsTrust,
                                                                          io.grpc.ClientInterceptor signer) {
        io.grpc.ChannelCredentials credentials;
        try {
            credentials = tlsTrust == null ? io.grpc.InsecureChannelCredentials.create()
                    : io.grpc.TlsChannelCredentials.newBuilder().trustManager(tlsTrust.toFile()).build();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("tlsTrust: cannot read the CA certificates in " + tlsTrust + ": " + e.getMessage(), e);
        }
        return address -> {
            NettyChannelBuilder b = NettyChannelBuilder.forTarget(address, credentials)
                    .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMs()))
                    .maxInboundMessageSize(16 * 1024 * 1024);
            return (signer == null ? b : b.intercept(signer)).build();
        };
    }

    // ------------------------------------------------------------------ cluster

    /** The current routing table, fetched from any node (not the cached copy). */
    public GetRoutingTableResponse getRoutingTable() {
        return execute("GetRoutingTable", Route.ANY, config.requestTimeoutMs(), NO_AMBIGUOUS_OK, null,
                (ch, t) -> ClusterGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS)
                        .getRoutingTable(GetRoutingTableRequest.getDefaultInstance()));
    }

    /** The partition hosting a queue (its first shard). */
    public String lookupQueue(String queueName) {
        return lookupQueueShards(queueName).get(0);
    }

    /**
     * Every partition of a queue, first shard first: one, or several for a high-throughput FIFO queue, whose
     * message group g lives on shard {@link #shardOf}(g, shards).
     */
    public List<String> lookupQueueShards(String queueName) {
        LookupQueueRequest req = LookupQueueRequest.newBuilder().setQueueName(queueName).build();
        LookupQueueResponse r = execute("LookupQueue", Route.ANY, config.requestTimeoutMs(), NO_AMBIGUOUS_OK, null,
                (ch, t) -> ClusterGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS).lookupQueue(req));
        return r.getShardPartitionIdsCount() > 0 ? List.copyOf(r.getShardPartitionIdsList()) : List.of(r.getPartitionId());
    }

    /**
     * Every node's own replica of a partition, hashed (applied index + SHA-256 of the state), asked node by node
     * from the routing table. Replicas at the same applied index must agree; see grpc-api/PROTOCOL.md.
     *
     * @throws PontoonException if any node does not answer
     */
    public List<GetReplicaDigestResponse> replicaDigests(String partitionId) {
        GetReplicaDigestRequest req = GetReplicaDigestRequest.newBuilder().setPartitionId(partitionId).build();
        List<GetReplicaDigestResponse> out = new ArrayList<>();
        for (NodeInfo n : getRoutingTable().getNodesList()) {
            try {
                out.add(ClusterGrpc.newBlockingStub(router.channel(n.getClientAddress()))
                        .withDeadlineAfter(config.requestTimeoutMs(), TimeUnit.MILLISECONDS).getReplicaDigest(req));
            } catch (StatusRuntimeException e) {
                throw PontoonException.from(e);
            }
        }
        return out;
    }

    /** Moves a partition's leadership to {@code nodeId}; returns once that node leads. */
    public TransferLeadershipResponse transferLeadership(String partitionId, String nodeId) {
        TransferLeadershipRequest req = TransferLeadershipRequest.newBuilder().setPartitionId(partitionId).setNodeId(nodeId).build();
        return execute("TransferLeadership", Route.ANY, config.requestTimeoutMs(), NO_AMBIGUOUS_OK, null,
                (ch, t) -> ClusterGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS).transferLeadership(req));
    }

    /** The shard of message group {@code groupId} on a queue with {@code shards} shards (grpc-api/PROTOCOL.md). */
    public static int shardOf(String groupId, int shards) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(groupId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    // ------------------------------------------------------------------ queue management

    public CreateQueueResponse createQueue(CreateQueueRequest req) {
        return sqs("CreateQueue", Route.CONTROLLER, (s) -> s.createQueue(req));
    }

    /** Creates a queue (or returns the existing one's URL if its attributes are identical). */
    public String createQueue(String queueName) {
        return createQueue(queueName, Map.of());
    }

    public String createQueue(String queueName, Map<String, String> attributes) {
        return createQueue(CreateQueueRequest.newBuilder().setQueueName(queueName).putAllAttributes(attributes).build())
                .getQueueUrl();
    }

    public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest req) {
        return sqs("GetQueueUrl", Route.CONTROLLER, s -> s.getQueueUrl(req));
    }

    public String getQueueUrl(String queueName) {
        return getQueueUrl(GetQueueUrlRequest.newBuilder().setQueueName(queueName).build()).getQueueUrl();
    }

    public ListQueuesResponse listQueues(ListQueuesRequest req) {
        return sqs("ListQueues", Route.CONTROLLER, s -> s.listQueues(req));
    }

    /** All queue URLs whose name starts with {@code prefix} (all pages). */
    public List<String> listQueues(String prefix) {
        List<String> urls = new ArrayList<>();
        String token = "";
        do {
            ListQueuesResponse r = listQueues(ListQueuesRequest.newBuilder()
                    .setQueueNamePrefix(prefix == null ? "" : prefix).setMaxResults(1000).setNextToken(token).build());
            urls.addAll(r.getQueueUrlsList());
            token = r.getNextToken();
        } while (!token.isEmpty());
        return urls;
    }

    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest req) {
        return sqs("GetQueueAttributes", queueRoute(req.getQueueUrl()), s -> s.getQueueAttributes(req));
    }

    /** Queue attributes; with no names, all of them ("All"). */
    public Map<String, String> getQueueAttributes(String queueUrl, String... attributeNames) {
        List<String> names = attributeNames.length == 0 ? List.of("All") : Arrays.asList(attributeNames);
        return getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(queueUrl)
                .addAllAttributeNames(names).build()).getAttributesMap();
    }

    public SetQueueAttributesResponse setQueueAttributes(SetQueueAttributesRequest req) {
        return sqs("SetQueueAttributes", queueRoute(req.getQueueUrl()), s -> s.setQueueAttributes(req));
    }

    public void setQueueAttributes(String queueUrl, Map<String, String> attributes) {
        setQueueAttributes(SetQueueAttributesRequest.newBuilder().setQueueUrl(queueUrl).putAllAttributes(attributes).build());
    }

    public DeleteQueueResponse deleteQueue(DeleteQueueRequest req) {
        String name = queueName(req.getQueueUrl());
        try {
            return execute("DeleteQueue", Route.CONTROLLER, config.requestTimeoutMs(),
                    Set.of(AwsErrorCodes.NON_EXISTENT_QUEUE), DeleteQueueResponse.getDefaultInstance(),
                    (ch, t) -> SqsGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS).deleteQueue(req));
        } finally {
            router.forgetQueue(name);
        }
    }

    public void deleteQueue(String queueUrl) {
        deleteQueue(DeleteQueueRequest.newBuilder().setQueueUrl(queueUrl).build());
    }

    public PurgeQueueResponse purgeQueue(PurgeQueueRequest req) {
        return execute("PurgeQueue", queueRoute(req.getQueueUrl()), config.requestTimeoutMs(),
                Set.of(AwsErrorCodes.PURGE_QUEUE_IN_PROGRESS), PurgeQueueResponse.getDefaultInstance(),
                (ch, t) -> SqsGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS).purgeQueue(req));
    }

    public void purgeQueue(String queueUrl) {
        purgeQueue(PurgeQueueRequest.newBuilder().setQueueUrl(queueUrl).build());
    }

    public ListDeadLetterSourceQueuesResponse listDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest req) {
        return sqs("ListDeadLetterSourceQueues", queueRoute(req.getQueueUrl()), s -> s.listDeadLetterSourceQueues(req));
    }

    /** Runs on the dead-letter queue's partition. */
    public StartMessageMoveTaskResponse startMessageMoveTask(StartMessageMoveTaskRequest req) {
        return sqs("StartMessageMoveTask", Route.queue(QueueUrls.nameOfArn(req.getSourceArn())), s -> s.startMessageMoveTask(req));
    }

    /** Any node: the server routes by the queue the handle names. */
    public CancelMessageMoveTaskResponse cancelMessageMoveTask(CancelMessageMoveTaskRequest req) {
        return sqs("CancelMessageMoveTask", Route.ANY, s -> s.cancelMessageMoveTask(req));
    }

    public ListMessageMoveTasksResponse listMessageMoveTasks(ListMessageMoveTasksRequest req) {
        return sqs("ListMessageMoveTasks", Route.queue(QueueUrls.nameOfArn(req.getSourceArn())), s -> s.listMessageMoveTasks(req));
    }


    // ------------------------------------------------------------------ tags

    public TagQueueResponse tagQueue(TagQueueRequest req) {
        return sqs("TagQueue", queueRoute(req.getQueueUrl()), s -> s.tagQueue(req));
    }

    public void tagQueue(String queueUrl, Map<String, String> tags) {
        tagQueue(TagQueueRequest.newBuilder().setQueueUrl(queueUrl).putAllTags(tags).build());
    }

    public UntagQueueResponse untagQueue(UntagQueueRequest req) {
        return sqs("UntagQueue", queueRoute(req.getQueueUrl()), s -> s.untagQueue(req));
    }

    public void untagQueue(String queueUrl, List<String> tagKeys) {
        untagQueue(UntagQueueRequest.newBuilder().setQueueUrl(queueUrl).addAllTagKeys(tagKeys).build());
    }

    public ListQueueTagsResponse listQueueTags(ListQueueTagsRequest req) {
        return sqs("ListQueueTags", queueRoute(req.getQueueUrl()), s -> s.listQueueTags(req));
    }

    public Map<String, String> listQueueTags(String queueUrl) {
        return listQueueTags(ListQueueTagsRequest.newBuilder().setQueueUrl(queueUrl).build()).getTagsMap();
    }

    // ------------------------------------------------------------------ messages

    /** Sends a message. Retries may produce duplicates on standard queues (at-least-once). */
    public SendMessageResponse sendMessage(SendMessageRequest req) {
        return sqs("SendMessage", queueRoute(req.getQueueUrl()), s -> s.sendMessage(req));
    }

    public SendMessageResponse sendMessage(String queueUrl, String body) {
        return sendMessage(SendMessageRequest.newBuilder().setQueueUrl(queueUrl).setMessageBody(body).build());
    }

    public SendMessageResponse sendMessage(String queueUrl, String body, Map<String, MessageAttributeValue> attributes) {
        return sendMessage(SendMessageRequest.newBuilder().setQueueUrl(queueUrl).setMessageBody(body)
                .putAllMessageAttributes(attributes).build());
    }

    /** Sends a batch; the whole call is retried, so entries may be duplicated (at-least-once). */
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest req) {
        return sqs("SendMessageBatch", queueRoute(req.getQueueUrl()), s -> s.sendMessageBatch(req));
    }

    /**
     * Receives messages (long poll when wait_time_seconds &gt; 0). Each attempt's deadline is
     * requestTimeoutMs plus the wait time (20 s when the wait time is absent, the queue's default
     * being unknown to the client).
     */
    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest req) {
        long waitMs = TimeUnit.SECONDS.toMillis(req.hasWaitTimeSeconds() ? Math.max(0, req.getWaitTimeSeconds()) : 20);
        return execute("ReceiveMessage", queueRoute(req.getQueueUrl()), config.requestTimeoutMs() + waitMs,
                NO_AMBIGUOUS_OK, null,
                (ch, t) -> SqsGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS).receiveMessage(req));
    }

    /** Receives up to {@code maxMessages} (1..10) messages with all attributes, waiting up to {@code waitSeconds}. */
    public List<Message> receiveMessages(String queueUrl, int maxMessages, int waitSeconds) {
        return receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(queueUrl)
                .setMaxNumberOfMessages(maxMessages).setWaitTimeSeconds(waitSeconds)
                .addMessageSystemAttributeNames("All").addMessageAttributeNames("All").build()).getMessagesList();
    }

    public DeleteMessageResponse deleteMessage(DeleteMessageRequest req) {
        return sqs("DeleteMessage", queueRoute(req.getQueueUrl()), s -> s.deleteMessage(req));
    }

    public void deleteMessage(String queueUrl, String receiptHandle) {
        deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(queueUrl).setReceiptHandle(receiptHandle).build());
    }

    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest req) {
        return sqs("DeleteMessageBatch", queueRoute(req.getQueueUrl()), s -> s.deleteMessageBatch(req));
    }

    public ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest req) {
        return sqs("ChangeMessageVisibility", queueRoute(req.getQueueUrl()), s -> s.changeMessageVisibility(req));
    }

    public void changeMessageVisibility(String queueUrl, String receiptHandle, int visibilityTimeoutSeconds) {
        changeMessageVisibility(ChangeMessageVisibilityRequest.newBuilder().setQueueUrl(queueUrl)
                .setReceiptHandle(receiptHandle).setVisibilityTimeout(visibilityTimeoutSeconds).build());
    }

    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest req) {
        return sqs("ChangeMessageVisibilityBatch", queueRoute(req.getQueueUrl()), s -> s.changeMessageVisibilityBatch(req));
    }

    /** The topic (SNS) API of the cluster. */
    public TopicClient topics() {
        return topics;
    }

    /** The Kinesis (streams) API of the cluster. */
    public StreamClient streams() {
        return streams;
    }

    @Override
    public void close() {
        router.close();
    }

    // ------------------------------------------------------------------ plumbing

    private static final Set<String> NO_AMBIGUOUS_OK = Set.of();

    @FunctionalInterface
    interface Rpc<T> {
        T call(io.grpc.Channel channel, long timeoutMs);
    }

    private <T> T sqs(String op, Route route, Function<SqsGrpc.SqsBlockingStub, T> call) {
        return execute(op, route, config.requestTimeoutMs(), NO_AMBIGUOUS_OK, null,
                (ch, t) -> call.apply(SqsGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS)));
    }

    static String queueName(String queueUrl) {
        try {
            return QueueUrls.nameOf(queueUrl);
        } catch (IllegalArgumentException e) {
            throw new PontoonException(Status.Code.INVALID_ARGUMENT, AwsErrorCodes.INVALID_ADDRESS, e.getMessage(), true);
        }
    }

    private static Route queueRoute(String queueUrl) {
        return Route.queue(queueName(queueUrl));
    }

    Router router() {
        return router;
    }

    /**
     * Runs {@code rpc} with routing and bounded retries.
     *
     * @param okIfAmbiguous AWS codes that mean "already done" when an earlier attempt's outcome was unknown
     * @param ambiguousOk   the result returned in that case
     */
    <T> T execute(String op, Route route, long attemptTimeoutMs, Set<String> okIfAmbiguous, T ambiguousOk, Rpc<T> rpc) {
        Set<String> tried = new HashSet<>();
        boolean outcomeUnknown = false;
        for (int attempt = 1; ; attempt++) {
            String address = router.pick(route, tried);
            PontoonException failure;
            try {
                return rpc.call(router.channel(address), attemptTimeoutMs);
            } catch (StatusRuntimeException e) {
                failure = PontoonException.from(e);
                router.onNotLeader(PontoonErrors.notLeaderDetail(e.getTrailers()));
            } catch (IllegalStateException e) {
                throw new PontoonException(Status.Code.CANCELLED, AwsErrorCodes.SERVICE_UNAVAILABLE, e.getMessage(), false, 0, e);
            }
            if (outcomeUnknown && okIfAmbiguous.contains(failure.awsCode())) return ambiguousOk;
            if (failure.statusCode() == Status.Code.NOT_FOUND && route.kind() == Route.Kind.QUEUE) {
                router.forgetQueue(route.queueName());
            }
            if (!failure.isRetryable() || attempt >= config.maxAttempts()) throw failure;
            if (failure.isOutcomeUnknown()) outcomeUnknown = true;
            tried.add(address);
            LOG.log(System.Logger.Level.DEBUG, "{0} attempt {1} via {2} failed ({3}); retrying",
                    op, attempt, address, failure.getMessage());
            if (failure.statusCode() != Status.Code.RESOURCE_EXHAUSTED) {
                router.refresh(true);
            }
            sleepBackoff(attempt, failure.retryAfterMs());
        }
    }

    /** Exponential backoff with "equal jitter": half fixed, half random, capped at backoffMaxMs. */
    static long backoffMs(ClientConfig config, int attempt, long retryAfterMs) {
        int shift = Math.min(attempt - 1, 30);
        long exp = Math.min(config.backoffMaxMs(), config.backoffBaseMs() << shift);
        if (exp <= 0) exp = config.backoffMaxMs();
        long half = exp / 2;
        long jittered = half + ThreadLocalRandom.current().nextLong(exp - half + 1);
        return Math.max(jittered, Math.min(retryAfterMs, config.backoffMaxMs()));
    }

    private void sleepBackoff(int attempt, long retryAfterMs) {
        try {
            Thread.sleep(backoffMs(config, attempt, retryAfterMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PontoonException(Status.Code.CANCELLED, "Interrupted", "interrupted while backing off", false, 0, e);
        }
    }

    /** Builder for {@link PontoonClient}; {@link #build()} validates the configuration. */
    public static final class Builder {
        private List<String> bootstrap = List.of();
        private long connectTimeoutMs = ClientConfig.DEFAULT_CONNECT_TIMEOUT_MS;
        private long requestTimeoutMs = ClientConfig.DEFAULT_REQUEST_TIMEOUT_MS;
        private int maxAttempts = ClientConfig.DEFAULT_MAX_ATTEMPTS;
        private long backoffBaseMs = ClientConfig.DEFAULT_BACKOFF_BASE_MS;
        private long backoffMaxMs = ClientConfig.DEFAULT_BACKOFF_MAX_MS;
        private long routingRefreshIntervalMs = ClientConfig.DEFAULT_ROUTING_REFRESH_INTERVAL_MS;
        private Function<String, ManagedChannel> channelFactory;
        private java.nio.file.Path tlsTrust;
        private io.grpc.ClientInterceptor signer;

        private Builder() {}

        /**
         * Connects with TLS, trusting the CA certificates (PEM) in {@code caFile}: a cluster with {@code tls.enabled}
         * refuses plaintext clients. Null: plaintext (the default).
         */
        public Builder tlsTrust(java.nio.file.Path caFile) {
            this.tlsTrust = caFile;
            return this;
        }

        /**
         * Signs every call with this access key (a cluster with {@code auth.mode=sigv4} refuses unsigned calls with
         * UNAUTHENTICATED); see grpc-api/PROTOCOL.md, "Authentication". Use it with TLS. Null id: unsigned (the default).
         */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.signer = accessKeyId == null ? null : new io.pontoon.api.auth.SigningInterceptor(accessKeyId, secretAccessKey, "us-east-1");
            return this;
        }

        /** One or more "host:port" client endpoints; any node of the cluster works. */
        public Builder bootstrap(String... endpoints) {
            this.bootstrap = List.of(endpoints);
            return this;
        }

        public Builder bootstrap(List<String> endpoints) {
            this.bootstrap = List.copyOf(endpoints);
            return this;
        }

        public Builder connectTimeoutMs(long v) { this.connectTimeoutMs = v; return this; }
        public Builder requestTimeoutMs(long v) { this.requestTimeoutMs = v; return this; }
        public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
        public Builder backoffBaseMs(long v) { this.backoffBaseMs = v; return this; }
        public Builder backoffMaxMs(long v) { this.backoffMaxMs = v; return this; }
        public Builder routingRefreshIntervalMs(long v) { this.routingRefreshIntervalMs = v; return this; }

        /** Replaces all settings with {@code config}. */
        public Builder config(ClientConfig config) {
            this.bootstrap = config.bootstrap();
            this.connectTimeoutMs = config.connectTimeoutMs();
            this.requestTimeoutMs = config.requestTimeoutMs();
            this.maxAttempts = config.maxAttempts();
            this.backoffBaseMs = config.backoffBaseMs();
            this.backoffMaxMs = config.backoffMaxMs();
            this.routingRefreshIntervalMs = config.routingRefreshIntervalMs();
            return this;
        }

        /**
         * Custom channel construction per "host:port" address (TLS, interceptors, in-process tests).
         * The default is plaintext Netty with the configured connect timeout.
         */
        public Builder channelFactory(Function<String, ManagedChannel> factory) {
            this.channelFactory = factory;
            return this;
        }

        /** @throws IllegalArgumentException if the configuration is invalid */
        public PontoonClient build() {
            ClientConfig config = new ClientConfig(bootstrap, connectTimeoutMs, requestTimeoutMs, maxAttempts,
                    backoffBaseMs, backoffMaxMs, routingRefreshIntervalMs);
            return new PontoonClient(config, channelFactory != null ? channelFactory : defaultChannelFactory(config, tlsTrust, signer));
        }
    }
}
