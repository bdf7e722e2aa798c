package io.pontoon.server.gateway;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.pontoon.api.AwsIdentity;
import io.pontoon.api.QueueUrls;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.server.config.NodeConfig;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Sends each gateway call that names a queue or a topic, and each put of stream records, to the gRPC service of its
 * partition leader, as the Java client routes its own calls, instead of serving it here. A node that is not the
 * leader would otherwise validate and group-commit the request itself and hand the entry to the leader through a
 * Ratis client: the leader then takes every follower's entries one by one, and the follower does the work twice over. Sent on, the request costs this
 * node one gRPC call, and the leader batches it with its own.
 *
 * <p>Routing is a shortcut, never a requirement: a call whose queue or topic this node has not placed yet (the
 * placement cache is cold), whose queue spans several partitions, or whose partition has no known leader or is led here, is
 * served here as before; a stale leader forwards as any node does.
 */
public final class LeaderRouting implements ClientInterceptor, AutoCloseable {
    /** Large enough for any request or answer the gRPC API allows (a 1 MiB send batch, a 10-message receive). */
    private static final int MAX_MESSAGE_BYTES = 16 << 20;
    private final String selfNodeId;
    private final Map<String, String> clientAddresses;
    private final Function<String, CompletableFuture<List<Integer>>> shardsOfQueue;
    private final Function<String, CompletableFuture<Integer>> partitionOfTopic;
    private final Function<String, CompletableFuture<StreamTopology>> topologyOfStream;
    private final IntFunction<String> leaderOfPartition;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final io.grpc.ChannelCredentials credentials;
    private final io.grpc.ClientInterceptor signer;

    /**
     * @param shardsOfQueue     the partitions of a queue (the placement cache: usually already complete)
     * @param partitionOfTopic  the partition of a topic (the placement cache: usually already complete)
     * @param topologyOfStream  the shards of a stream (the topology cache: usually already complete)
     * @param leaderOfPartition the node id leading a partition, as this node last heard, or null
     * @param credentials       how to reach another node's client port (TLS when the cluster uses it)
     * @param signer            signs the calls for a cluster with auth.mode=sigv4, or null
     */
    public LeaderRouting(String selfNodeId, List<NodeConfig.Member> members, Function<String, CompletableFuture<List<Integer>>> shardsOfQueue,
                  Function<String, CompletableFuture<Integer>> partitionOfTopic, Function<String, CompletableFuture<StreamTopology>> topologyOfStream,
                  IntFunction<String> leaderOfPartition, io.grpc.ChannelCredentials credentials, io.grpc.ClientInterceptor signer) {
        this.selfNodeId = selfNodeId;
        this.credentials = credentials;
        this.signer = signer;
        this.clientAddresses = Map.copyOf(members.stream().collect(java.util.stream.Collectors.toMap(NodeConfig.Member::nodeId,
                NodeConfig.Member::clientAddress)));
        this.shardsOfQueue = shardsOfQueue;
        this.partitionOfTopic = partitionOfTopic;
        this.topologyOfStream = topologyOfStream;
        this.leaderOfPartition = leaderOfPartition;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel local) {
        return new RoutedCall<>(method, options, local);
    }

    /** The leader's channel for {@code request}, or null to serve it here. */
    Channel leaderChannel(Object request) {
        if (!(request instanceof Message message)) {
            return null;
        }
        Integer partition = partitionOf(message);
        if (partition == null) {
            return null;
        }
        String leader = leaderOfPartition.apply(partition);
        if (leader == null || leader.equals(selfNodeId) || !clientAddresses.containsKey(leader)) {
            return null;
        }
        return channels.computeIfAbsent(leader, id -> {
            io.grpc.ManagedChannelBuilder<?> b = io.grpc.Grpc.newChannelBuilder(clientAddresses.get(id), credentials)
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES);
            return (signer == null ? b : b.intercept(signer)).build();
        });
    }

    /**
     * The one partition serving {@code request}, if this node already knows it without waiting: a queue's (by
     * {@code queue_url}) when it spans a single partition, a topic's (by {@code topic_arn}, or the topic part of
     * {@code subscription_arn}), or that of the shards a stream put writes to. Null otherwise, also for a malformed name, which is served here to be refused.
     */
    private Integer partitionOf(Message request) {
        String url = field(request, "queue_url");
        if (url != null) {
            String name;
            try {
                name = QueueUrls.nameOf(url);
            } catch (RuntimeException notAQueueUrl) {
                return null;
            }
            List<Integer> shards = known(shardsOfQueue.apply(name));
            return shards == null || shards.size() != 1 ? null : shards.get(0);
        }
        String stream = field(request, "stream_name");
        stream = stream != null ? stream : streamName(field(request, "stream_arn"));
        if (stream != null) {
            StreamTopology topology = known(topologyOfStream.apply(stream));
            return topology == null ? null : partitionOfRecords(request, topology);
        }
        String topic = topicName(field(request, "topic_arn"), false);
        topic = topic != null ? topic : topicName(field(request, "subscription_arn"), true);
        return topic == null ? null : known(partitionOfTopic.apply(topic));
    }

    /**
     * The partition of the shard(s) a PutRecord or PutRecords request writes to, when they are all on one partition;
     * null for any other stream request (reads name their shard in an iterator, and are served where they arrive).
     */
    @SuppressWarnings("unchecked")
    private static Integer partitionOfRecords(Message request, StreamTopology topology) {
        FieldDescriptor records = request.getDescriptorForType().findFieldByName("records");
        List<Message> entries = records != null && records.isRepeated() ? (List<Message>) request.getField(records) : List.of(request);
        Integer partition = null;
        for (Message entry : entries) {
            String key = field(entry, "partition_key");
            if (key == null) {
                return null;
            }
            String explicit = field(entry, "explicit_hash_key");
            BigInteger hash;
            try {
                hash = explicit != null ? HashKeys.parseExplicit(explicit) : HashKeys.ofPartitionKey(key);
            } catch (RuntimeException malformed) {
                return null;
            }
            Integer p = topology.shardFor(hash).map(StreamTopology.ShardInfo::partition).orElse(null);
            if (p == null || (partition != null && !partition.equals(p))) {
                return null;
            }
            partition = p;
        }
        return partition;
    }

    /** The stream name in a stream ARN of any region and account (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME), or null. */
    static String streamName(String arn) {
        String resource = AwsIdentity.resourceOf(arn, "kinesis");
        return resource != null && resource.startsWith("stream/") && resource.length() > 7 && resource.indexOf('/', 7) < 0
                ? resource.substring(7) : null;
    }

    private static String field(Message m, String name) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
        return f == null || f.isRepeated() || !m.hasField(f) ? null : (String) m.getField(f);
    }

    /**
     * The topic name in a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME) or, with {@code subscription}, a subscription ARN
     * (...:NAME:ID), whatever region and account it shows (the node that serves it checks those); null for another shape.
     */
    static String topicName(String arn, boolean subscription) {
        String resource = AwsIdentity.resourceOf(arn, "sns");
        int cut = resource == null ? -1 : resource.indexOf(':');
        String name = subscription ? (cut > 0 && resource.indexOf(':', cut + 1) < 0 ? resource.substring(0, cut) : null) : (cut < 0 ? resource : null);
        return name != null && name.matches("[A-Za-z0-9_-]{1,256}(\\.fifo)?") ? name : null;
    }

    private static <T> T known(CompletableFuture<T> future) {
        return future.isDone() && !future.isCompletedExceptionally() ? future.join() : null;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A call whose channel is chosen by its request: what comes before the request (start, request(n)) is held and
     * replayed on the chosen channel's call when the request arrives. Unary and server-streaming calls send exactly
     * one request, right after starting.
     */
    private final class RoutedCall<Q, R> extends ClientCall<Q, R> {
        private final MethodDescriptor<Q, R> method;
        private final CallOptions options;
        private final Channel local;
        private Listener<R> listener;
        private Metadata headers;
        private int requested;
        private ClientCall<Q, R> delegate;

        RoutedCall(MethodDescriptor<Q, R> method, CallOptions options, Channel local) {
            this.method = method;
            this.options = options;
            this.local = local;
        }

        @Override
        public synchronized void start(Listener<R> responseListener, Metadata headers) {
            this.listener = responseListener;
            this.headers = headers;
        }

        @Override
        public synchronized void request(int numMessages) {
            if (delegate != null) {
                delegate.request(numMessages);
            } else {
                requested += numMessages;
            }
        }

        @Override
        public synchronized void sendMessage(Q message) {
            if (delegate == null) {
                Channel leader = method.getType() == MethodDescriptor.MethodType.UNARY ? leaderChannel(message) : null;
                delegate = (leader != null ? leader : local).newCall(method, options);
                delegate.start(listener, headers);
                if (requested > 0) {
                    delegate.request(requested);
                }
            }
            delegate.sendMessage(message);
        }

        @Override
        public synchronized void halfClose() {
            delegate.halfClose();
        }

        @Override
        public synchronized void cancel(String message, Throwable cause) {
            if (delegate != null) {
                delegate.cancel(message, cause);
            } else if (listener != null) {
                listener.onClose(Status.CANCELLED.withDescription(message).withCause(cause), new Metadata());
            }
        }

        @Override
        public synchronized boolean isReady() {
            return delegate != null && delegate.isReady();
        }
    }
}
