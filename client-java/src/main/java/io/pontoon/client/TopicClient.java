package io.pontoon.client;

import io.pontoon.api.v1.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The SNS API of a Pontoon cluster, with routing and bounded retries: a publish goes straight to the leader of the
 * partition hosting its topic (any node would also take it and forward it). Obtain it from {@link PontoonClient#topics()}.
 */
public final class TopicClient {
    private final PontoonClient client;
    private final Map<String, String> partitions = new ConcurrentHashMap<>();

    TopicClient(PontoonClient client) {
        this.client = client;
    }

    /** The topic's ARN (CreateTopic is idempotent). */
    public String createTopic(String name) {
        return createTopic(CreateTopicRequest.newBuilder().setName(name).build()).getTopicArn();
    }

    public CreateTopicResponse createTopic(CreateTopicRequest req) {
        return call("CreateTopic", Route.ANY, s -> s.createTopic(req));
    }

    public void deleteTopic(String topicArn) {
        call("DeleteTopic", routeOf(topicArn), s -> s.deleteTopic(DeleteTopicRequest.newBuilder().setTopicArn(topicArn).build()));
        partitions.remove(nameOf(topicArn));
    }

    public Map<String, String> getTopicAttributes(String topicArn) {
        return call("GetTopicAttributes", routeOf(topicArn), s -> s.getTopicAttributes(GetTopicAttributesRequest.newBuilder()
                .setTopicArn(topicArn).build())).getAttributesMap();
    }

    public void setTopicAttribute(String topicArn, String name, String value) {
        call("SetTopicAttributes", routeOf(topicArn), s -> s.setTopicAttributes(SetTopicAttributesRequest.newBuilder().setTopicArn(topicArn)
                .setAttributeName(name).setAttributeValue(value).build()));
    }

    /** Every topic ARN (all pages). */
    public List<String> listTopics() {
        List<String> out = new ArrayList<>();
        String token = "";
        do {
            String t = token;
            ListTopicsResponse r = call("ListTopics", Route.ANY, s -> s.listTopics(ListTopicsRequest.newBuilder().setNextToken(t).build()));
            out.addAll(r.getTopicArnsList());
            token = r.getNextToken();
        } while (!token.isEmpty());
        return out;
    }

    /** Subscribes a Pontoon queue by its name; returns the subscription ARN. */
    public String subscribeQueue(String topicArn, String queueName, Map<String, String> attributes) {
        return subscribe(SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("sqs")
                .setEndpoint(io.pontoon.api.QueueUrls.arnOf(queueName)).putAllAttributes(attributes).build()).getSubscriptionArn();
    }

    public SubscribeResponse subscribe(SubscribeRequest req) {
        return call("Subscribe", routeOf(req.getTopicArn()), s -> s.subscribe(req));
    }

    public String confirmSubscription(String topicArn, String token) {
        return call("ConfirmSubscription", routeOf(topicArn), s -> s.confirmSubscription(ConfirmSubscriptionRequest.newBuilder()
                .setTopicArn(topicArn).setToken(token).build())).getSubscriptionArn();
    }

    public void unsubscribe(String subscriptionArn) {
        call("Unsubscribe", Route.ANY, s -> s.unsubscribe(UnsubscribeRequest.newBuilder().setSubscriptionArn(subscriptionArn).build()));
    }

    public Map<String, String> getSubscriptionAttributes(String subscriptionArn) {
        return call("GetSubscriptionAttributes", Route.ANY, s -> s.getSubscriptionAttributes(GetSubscriptionAttributesRequest.newBuilder()
                .setSubscriptionArn(subscriptionArn).build())).getAttributesMap();
    }

    public void setSubscriptionAttribute(String subscriptionArn, String name, String value) {
        call("SetSubscriptionAttributes", Route.ANY, s -> s.setSubscriptionAttributes(SetSubscriptionAttributesRequest.newBuilder()
                .setSubscriptionArn(subscriptionArn).setAttributeName(name).setAttributeValue(value).build()));
    }

    /** Every subscription of a topic (all pages). */
    public List<Subscription> listSubscriptionsByTopic(String topicArn) {
        List<Subscription> out = new ArrayList<>();
        String token = "";
        do {
            String t = token;
            ListSubscriptionsByTopicResponse r = call("ListSubscriptionsByTopic", routeOf(topicArn), s -> s.listSubscriptionsByTopic(
                    ListSubscriptionsByTopicRequest.newBuilder().setTopicArn(topicArn).setNextToken(t).build()));
            out.addAll(r.getSubscriptionsList());
            token = r.getNextToken();
        } while (!token.isEmpty());
        return out;
    }

    /** Every subscription of the cluster (all pages). */
    public List<Subscription> listSubscriptions() {
        List<Subscription> out = new ArrayList<>();
        String token = "";
        do {
            String t = token;
            ListSubscriptionsResponse r = call("ListSubscriptions", Route.ANY, s -> s.listSubscriptions(ListSubscriptionsRequest.newBuilder()
                    .setNextToken(t).build()));
            out.addAll(r.getSubscriptionsList());
            token = r.getNextToken();
        } while (!token.isEmpty());
        return out;
    }

    /** Publishes a message; returns its MessageId. */
    public String publish(String topicArn, String message) {
        return publish(PublishRequest.newBuilder().setTopicArn(topicArn).setMessage(message).build()).getMessageId();
    }

    public PublishResponse publish(PublishRequest req) {
        return call("Publish", routeOf(req.getTopicArn()), s -> s.publish(req));
    }

    public PublishBatchResponse publishBatch(PublishBatchRequest req) {
        return call("PublishBatch", routeOf(req.getTopicArn()), s -> s.publishBatch(req));
    }

    public void tag(String topicArn, Map<String, String> tags) {
        call("TagResource", routeOf(topicArn), s -> s.tagResource(TagResourceRequest.newBuilder().setResourceArn(topicArn).putAllTags(tags).build()));
    }

    public Map<String, String> tags(String topicArn) {
        return call("ListTagsForResource", routeOf(topicArn), s -> s.listTagsForResource(ListTagsForResourceRequest.newBuilder()
                .setResourceArn(topicArn).build())).getTagsMap();
    }

    /**
     * The topic name of a topic ARN, whatever region and account it shows (arn:aws:sns:REGION:ACCOUNT:NAME), or the
     * text itself (the server then says what is wrong). Only routing depends on it.
     */
    static String nameOf(String topicArn) {
        String name = io.pontoon.api.AwsIdentity.resourceOf(topicArn, "sns");
        return name != null && name.indexOf(':') < 0 ? name : topicArn;
    }

    /** The leader of the topic's partition, from a cached Cluster.LookupTopic; any node when unknown. */
    private Route routeOf(String topicArn) {
        String name = nameOf(topicArn);
        String partition = partitions.get(name);
        if (partition == null) {
            try {
                String address = client.router().pickAny(java.util.Set.of());
                partition = ClusterGrpc.newBlockingStub(client.router().channel(address))
                        .withDeadlineAfter(client.config().requestTimeoutMs(), TimeUnit.MILLISECONDS)
                        .lookupTopic(LookupTopicRequest.newBuilder().setTopicName(name).build()).getPartitionId();
                partitions.put(name, partition);
            } catch (RuntimeException e) {
                return Route.ANY; // unknown topic or unreachable node: any node answers authoritatively
            }
        }
        return Route.partition(partition);
    }

    private <T> T call(String op, Route route, Function<SnsGrpc.SnsBlockingStub, T> rpc) {
        return client.execute(op, route, client.config().requestTimeoutMs(), java.util.Set.of(), null,
                (ch, t) -> rpc.apply(SnsGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS)));
    }
}
