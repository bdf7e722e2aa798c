package io.pontoon.server.topic;

import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.*;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.topic.MessageAttribute;
import io.pontoon.core.topic.Subscription;
import io.pontoon.core.topic.TopicArns;
import io.pontoon.core.topic.TopicCommand;
import io.pontoon.server.grpc.Calls;
import io.pontoon.server.grpc.RequestMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SNS gRPC service: translation between the wire API and {@link TopicRequests}, nothing more. Every request is read
 * inside {@link Calls#respond}, so bad input gets its SNS code.
 */
public final class SnsService extends SnsGrpc.SnsImplBase {
    private final TopicRequests requests;
    private final RequestMetrics metrics;

    SnsService(TopicRequests requests, RequestMetrics metrics) {
        this.requests = requests;
        this.metrics = metrics;
    }

    @Override
    public void createTopic(CreateTopicRequest req, StreamObserver<CreateTopicResponse> out) {
        respond("CreateTopic", out, () -> requests.create(req.getName(), req.getAttributesMap(), req.getTagsMap()),
                arn -> CreateTopicResponse.newBuilder().setTopicArn(arn).build());
    }

    @Override
    public void deleteTopic(DeleteTopicRequest req, StreamObserver<DeleteTopicResponse> out) {
        respond("DeleteTopic", out, () -> requests.delete(req.getTopicArn()), v -> DeleteTopicResponse.getDefaultInstance());
    }

    @Override
    public void getTopicAttributes(GetTopicAttributesRequest req, StreamObserver<GetTopicAttributesResponse> out) {
        respond("GetTopicAttributes", out, () -> requests.topicAttributes(req.getTopicArn()),
                a -> GetTopicAttributesResponse.newBuilder().putAllAttributes(a).build());
    }

    @Override
    public void setTopicAttributes(SetTopicAttributesRequest req, StreamObserver<SetTopicAttributesResponse> out) {
        respond("SetTopicAttributes", out, () -> requests.setTopicAttribute(req.getTopicArn(), req.getAttributeName(), req.getAttributeValue()),
                v -> SetTopicAttributesResponse.getDefaultInstance());
    }

    @Override
    public void listTopics(ListTopicsRequest req, StreamObserver<ListTopicsResponse> out) {
        respond("ListTopics", out, () -> requests.listTopics(req.getNextToken()), page -> {
            ListTopicsResponse.Builder b = ListTopicsResponse.newBuilder().addAllTopicArns(page.items());
            if (page.nextToken() != null) {
                b.setNextToken(page.nextToken());
            }
            return b.build();
        });
    }

    @Override
    public void subscribe(SubscribeRequest req, StreamObserver<SubscribeResponse> out) {
        respond("Subscribe", out, () -> requests.subscribe(req.getTopicArn(), req.getProtocol(), req.getEndpoint(), req.getAttributesMap()),
                s -> SubscribeResponse.newBuilder().setSubscriptionArn(s.pending() && !req.getReturnSubscriptionArn() ? "pending confirmation"
                        : TopicArns.subscription(TopicArns.topicName(req.getTopicArn(), "TopicArn"), s.subscriptionId())).build());
    }

    @Override
    public void confirmSubscription(ConfirmSubscriptionRequest req, StreamObserver<ConfirmSubscriptionResponse> out) {
        respond("ConfirmSubscription", out, () -> requests.confirm(req.getTopicArn(), req.getToken()),
                arn -> ConfirmSubscriptionResponse.newBuilder().setSubscriptionArn(arn).build());
    }

    @Override
    public void unsubscribe(UnsubscribeRequest req, StreamObserver<UnsubscribeResponse> out) {
        respond("Unsubscribe", out, () -> requests.unsubscribe(req.getSubscriptionArn()), v -> UnsubscribeResponse.getDefaultInstance());
    }

    @Override
    public void getSubscriptionAttributes(GetSubscriptionAttributesRequest req, StreamObserver<GetSubscriptionAttributesResponse> out) {
        respond("GetSubscriptionAttributes", out, () -> requests.subscriptionAttributes(req.getSubscriptionArn()),
                a -> GetSubscriptionAttributesResponse.newBuilder().putAllAttributes(a).build());
    }

    @Override
    public void setSubscriptionAttributes(SetSubscriptionAttributesRequest req, StreamObserver<SetSubscriptionAttributesResponse> out) {
        respond("SetSubscriptionAttributes", out, () -> requests.setSubscriptionAttribute(req.getSubscriptionArn(), req.getAttributeName(),
                req.getAttributeValue()), v -> SetSubscriptionAttributesResponse.getDefaultInstance());
    }

    @Override
    public void listSubscriptions(ListSubscriptionsRequest req, StreamObserver<ListSubscriptionsResponse> out) {
        respond("ListSubscriptions", out, () -> requests.subscriptions(req.getNextToken()), page -> {
            ListSubscriptionsResponse.Builder b = ListSubscriptionsResponse.newBuilder();
            page.items().forEach(s -> b.addSubscriptions(proto(s)));
            if (page.nextToken() != null) {
                b.setNextToken(page.nextToken());
            }
            return b.build();
        });
    }

    @Override
    public void listSubscriptionsByTopic(ListSubscriptionsByTopicRequest req, StreamObserver<ListSubscriptionsByTopicResponse> out) {
        respond("ListSubscriptionsByTopic", out, () -> requests.subscriptionsOf(req.getTopicArn(), req.getNextToken()), page -> {
            ListSubscriptionsByTopicResponse.Builder b = ListSubscriptionsByTopicResponse.newBuilder();
            page.items().forEach(s -> b.addSubscriptions(proto(s)));
            if (page.nextToken() != null) {
                b.setNextToken(page.nextToken());
            }
            return b.build();
        });
    }

    @Override
    public void publish(PublishRequest req, StreamObserver<PublishResponse> out) {
        respond("Publish", out, () -> requests.publish(req.getTopicArn(), List.of(entry("", req.getMessage(), req.getSubject(),
                        req.getMessageStructure(), req.getMessageAttributesMap(), req.getMessageGroupId(), req.getMessageDeduplicationId()))),
                p -> PublishResponse.newBuilder().setMessageId(p.messageIds().get(0)).setSequenceNumber(p.sequenceNumbers().get(0)).build());
    }

    /**
     * PublishBatch: an entry with a fault of its own fails alone (listed in {@code failed}), the others are published;
     * faults of the whole batch (no entries, more than 10, ids not distinct, more than 256 KiB) fail the call.
     */
    @Override
    public void publishBatch(PublishBatchRequest req, StreamObserver<PublishBatchResponse> out) {
        respond("PublishBatch", out, () -> {
            List<TopicCommand.PublishEntry> entries = new ArrayList<>();
            for (PublishBatchRequestEntry e : req.getPublishBatchRequestEntriesList()) {
                entries.add(entry(e.getId(), e.getMessage(), e.getSubject(), e.getMessageStructure(), e.getMessageAttributesMap(),
                        e.getMessageGroupId(), e.getMessageDeduplicationId()));
            }
            return PublishBatches.publish(requests, req.getTopicArn(), entries);
        }, r -> r);
    }

    @Override
    public void tagResource(TagResourceRequest req, StreamObserver<TagResourceResponse> out) {
        respond("TagResource", out, () -> requests.tag(req.getResourceArn(), req.getTagsMap(), List.of()), v -> TagResourceResponse.getDefaultInstance());
    }

    @Override
    public void untagResource(UntagResourceRequest req, StreamObserver<UntagResourceResponse> out) {
        respond("UntagResource", out, () -> {
            if (req.getTagKeysCount() == 0) {
                throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: TagKeys must list 1 to 50 keys.");
            }
            return requests.tag(req.getResourceArn(), Map.of(), req.getTagKeysList());
        }, v -> UntagResourceResponse.getDefaultInstance());
    }

    @Override
    public void listTagsForResource(ListTagsForResourceRequest req, StreamObserver<ListTagsForResourceResponse> out) {
        respond("ListTagsForResource", out, () -> requests.tags(req.getResourceArn()), t -> ListTagsForResourceResponse.newBuilder().putAllTags(t).build());
    }

    static TopicCommand.PublishEntry entry(String id, String message, String subject, String structure, Map<String, MessageAttributeValue> attributes,
                                           String groupId, String deduplicationId) {
        if (!structure.isEmpty() && !structure.equals("json")) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: MessageStructure must be json or absent.");
        }
        TreeMap<String, MessageAttribute> attrs = new TreeMap<>();
        attributes.forEach((k, v) -> attrs.put(k, new MessageAttribute(v.getDataType(), v.getDataType().startsWith("Binary") ? null : v.getStringValue(),
                v.getDataType().startsWith("Binary") ? v.getBinaryValue().toByteArray() : null)));
        return new TopicCommand.PublishEntry(id, message, subject.isEmpty() ? null : subject, structure.equals("json"), attrs,
                groupId.isEmpty() ? null : groupId, deduplicationId.isEmpty() ? null : deduplicationId);
    }

    private io.pontoon.api.v1.Subscription proto(Subscription s) {
        return io.pontoon.api.v1.Subscription.newBuilder().setSubscriptionArn(s.confirmed() ? s.arn() : "PendingConfirmation")
                .setOwner(requests.owner()).setProtocol(s.protocol()).setEndpoint(s.endpoint()).setTopicArn(TopicArns.topic(s.topic())).build();
    }

    private <T, R> void respond(String action, StreamObserver<R> out, Supplier<CompletableFuture<T>> call, Function<T, R> toResponse) {
        Calls.respond(metrics, action, out, call, toResponse);
    }
}
