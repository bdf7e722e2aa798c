package io.pontoon.server.topic;

import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.topic.TopicCommand;
import io.pontoon.server.grpc.RequestMetrics;
import io.pontoon.server.partition.ControllerClient;
import io.pontoon.server.partition.PartitionAccess;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * The topic model's part of a node, assembled: its gRPC service, the fan-out it runs on the partitions it leads
 * (queue deliveries when a publish is applied, HTTP deliveries on a timer), and what it needs to hear of applied
 * entries. Queues are reached only through the {@link QueueTargets} port given to it.
 */
public final class Topics implements AutoCloseable {
    private final TopicPlacement placement;
    private final ExecutorService work;
    private final SnsService service;
    private final OrderedFanout orderedFanout;
    private final HttpFanout httpFanout;
    private final HttpClient http;

    /**
     * @param work         runs fan-out rounds (never on apply or timer threads' critical paths)
     * @param maxRoundBytes message bytes one queue fan-out round reads at most (below the log entry limit)
     * @param signer        signs the envelopes this node delivers, with this node's key (SIGNING.md)
     * @param links         the SubscribeURL and UnsubscribeURL this node puts in envelopes
     * @param accountId     the account id shown as topics' and subscriptions' Owner
     */
    public Topics(ControllerClient controller, PartitionAccess partitions, QueueTargets queues, StreamTargets streams, ExecutorService work, LongSupplier clockMs,
                  IntPredicate leadsPartition, long maxRoundBytes, RequestMetrics metrics, EnvelopeSigner signer, EnvelopeLinks links,
                  DeliveryObserver observer, String accountId) {
        this.work = work;
        this.placement = new TopicPlacement(controller);
        this.service = new SnsService(new TopicRequests(placement, partitions, accountId), metrics);
        this.orderedFanout = new OrderedFanout(partitions, queues, streams, maxRoundBytes, work, leadsPartition, signer, links, observer, clockMs);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(work).followRedirects(HttpClient.Redirect.NEVER).build();
        this.httpFanout = new HttpFanout(partitions, http, clockMs, leadsPartition, signer, links, observer);
    }

    /** The partition hosting a topic, for client-side routing (Cluster.LookupTopic). */
    public java.util.concurrent.CompletableFuture<io.pontoon.api.v1.LookupTopicResponse> route(String name) {
        io.pontoon.core.topic.TopicValidator.topicName(name);
        return placement.lookup(name).thenApply(p -> io.pontoon.api.v1.LookupTopicResponse.newBuilder().setPartitionId(String.valueOf(p)).build());
    }

    /** The partition hosting a topic: the placement cache, else the controller (NotFound if there is none). */
    public java.util.concurrent.CompletableFuture<Integer> partitionOf(String name) {
        return placement.lookup(name);
    }

    public SnsService service() {
        return service;
    }

    /** An entry was applied on this node: a publish (or a delivery gone to a dead-letter queue) starts a fan-out round. Never blocks. */
    public void applied(int partition, List<PartitionCommand> commands) {
        for (PartitionCommand c : commands) {
            if (c instanceof TopicCommand.Publish) {
                orderedFanout.signal(partition);
                httpFanout.signal(work);
                return;
            }
            if (c instanceof TopicCommand.SettleDeliveries s && !s.httpOutcomes().isEmpty()) {
                orderedFanout.signal(partition); // a failed HTTP delivery may have gone to its dead-letter queue
                return;
            }
        }
    }

    /** The timers' share: queue rounds that a lost signal left waiting, and the HTTP endpoints. */
    public void poll() {
        orderedFanout.poll();
        httpFanout.poll();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
