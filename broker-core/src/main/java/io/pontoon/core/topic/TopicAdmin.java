package io.pontoon.core.topic;

import io.pontoon.core.Limits;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.EntryContext;
import io.pontoon.core.partition.MessageIds;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.StoreTxn;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Apply of the topic and subscription management commands. */
final class TopicAdmin {
    private TopicAdmin() {
    }

    static PartitionResult create(EntryContext ctx, TopicCommand.CreateTopic c) {
        Optional<Topic> existing = TopicStore.topic(ctx.txn(), c.name());
        if (existing.isPresent()) {
            for (Map.Entry<String, String> a : c.attributes().entrySet()) {
                if (!a.getValue().equals(existing.get().attributes().get(a.getKey()))) {
                    return error(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Attributes Reason: Topic already exists with different attributes");
                }
            }
            for (Map.Entry<String, String> t : c.tags().entrySet()) {
                if (!t.getValue().equals(existing.get().tags().get(t.getKey()))) {
                    return error(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Tags Reason: Topic already exists with different tags");
                }
            }
            return new TopicResult.TopicCreated(c.name(), false);
        }
        TopicStore.putTopic(ctx.txn(), new Topic(c.name(), ctx.allocateSeq(), ctx.nowMs(), c.attributes(), c.tags(), 0, 0, 0, 0));
        return new TopicResult.TopicCreated(c.name(), true);
    }

    /** Queue subscriptions go at once; HTTP(S) ones become tombstones until the fan-out has dropped their deliveries. */
    static PartitionResult delete(EntryContext ctx, TopicCommand.DeleteTopic d) {
        StoreTxn txn = ctx.txn();
        if (TopicStore.topic(txn, d.name()).isEmpty()) {
            return new PartitionResult.Ok();
        }
        for (Subscription s : TopicStore.subscriptions(txn, d.name())) {
            remove(txn, s);
        }
        txn.deleteAux(io.pontoon.core.partition.AuxTable.TOPIC, TopicKeys.topic(d.name()));
        return new PartitionResult.Ok();
    }

    static PartitionResult setAttribute(EntryContext ctx, TopicCommand.SetTopicAttribute s) {
        Optional<Topic> t = TopicStore.topic(ctx.txn(), s.name());
        if (t.isEmpty()) {
            return topicNotFound(s.name());
        }
        Map<String, String> attributes = new HashMap<>(t.get().attributes());
        attributes.put(s.attribute(), s.value());
        TopicStore.putTopic(ctx.txn(), t.get().withAttributes(attributes));
        return new PartitionResult.Ok();
    }

    static PartitionResult tag(EntryContext ctx, TopicCommand.TagTopic c) {
        Optional<Topic> t = TopicStore.topic(ctx.txn(), c.name());
        if (t.isEmpty()) {
            return error(ErrorCode.SNS_RESOURCE_NOT_FOUND, "Resource does not exist: topic " + c.name());
        }
        Map<String, String> tags = new HashMap<>(t.get().tags());
        tags.putAll(c.tags());
        c.removeKeys().forEach(tags::remove);
        if (tags.size() > Limits.MAX_TAGS) {
            return error(ErrorCode.TAG_LIMIT_EXCEEDED, "Could not complete request: tag quota of per resource exceeded: the topic would have "
                    + tags.size() + " tags; at most " + Limits.MAX_TAGS + " are allowed.");
        }
        TopicStore.putTopic(ctx.txn(), t.get().withTags(tags));
        return new PartitionResult.Ok();
    }

    static PartitionResult subscribe(EntryContext ctx, TopicCommand.Subscribe c) {
        StoreTxn txn = ctx.txn();
        Optional<Topic> t = TopicStore.topic(txn, c.topic());
        if (t.isEmpty()) {
            return topicNotFound(c.topic());
        }
        for (Subscription s : TopicStore.subscriptions(txn, c.topic())) {
            if (!s.deleted() && s.protocol().equals(c.protocol()) && s.endpoint().equals(c.endpoint())) {
                // SNS: subscribing again is idempotent, unless an attribute given differs from the subscription's
                boolean same = c.attributes().entrySet().stream().allMatch(a -> a.getValue().equals(s.attributes().get(a.getKey())));
                return same ? new TopicResult.Subscribed(s.id(), !s.confirmed())
                        : error(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Attributes Reason: Subscription already exists with different "
                        + "attributes: " + c.protocol() + " endpoint " + c.endpoint() + " is subscribed to " + c.topic() + " as " + s.id() + ".");
            }
        }
        if (t.get().subscriptions() >= Limits.MAX_SUBSCRIPTIONS_PER_TOPIC) {
            return error(ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, "Topic " + c.topic() + " already has " + t.get().subscriptions()
                    + " subscriptions, the most it may have (" + Limits.MAX_SUBSCRIPTIONS_PER_TOPIC + ").");
        }
        boolean filtered = hasFilter(c.attributes());
        if (filtered && t.get().filterPolicies() >= Limits.MAX_FILTER_POLICIES_PER_TOPIC) {
            return filterLimit(c.topic());
        }
        boolean confirmed = c.token() == null;
        Subscription s = new Subscription(MessageIds.of(ctx.partitionEpoch(), ctx.partitionId(), ctx.allocateSeq()), c.topic(), c.protocol(),
                c.endpoint(), c.attributes(), confirmed, c.token(), ctx.nowMs(), false);
        TopicStore.putSubscription(txn, s);
        TopicStore.putTopic(txn, t.get().withSubscriptionChange(confirmed ? 1 : 0, confirmed ? 0 : 1, filtered ? 1 : 0));
        return new TopicResult.Subscribed(s.id(), !confirmed);
    }

    static PartitionResult confirm(EntryContext ctx, TopicCommand.ConfirmSubscription c) {
        StoreTxn txn = ctx.txn();
        Optional<Topic> t = TopicStore.topic(txn, c.topic());
        if (t.isEmpty()) {
            return topicNotFound(c.topic());
        }
        for (Subscription s : TopicStore.subscriptions(txn, c.topic())) {
            if (!s.deleted() && c.token().equals(s.token())) {
                TopicStore.putSubscription(txn, s.asConfirmed());
                TopicStore.putTopic(txn, t.get().withSubscriptionChange(1, -1, 0));
                return new TopicResult.Subscribed(s.id(), false);
            }
        }
        return error(ErrorCode.INVALID_PARAMETER, "Invalid parameter: Token: no pending subscription of topic " + c.topic() + " has this token.");
    }

    static PartitionResult unsubscribe(EntryContext ctx, TopicCommand.Unsubscribe u) {
        StoreTxn txn = ctx.txn();
        Optional<Subscription> s = TopicStore.subscription(txn, u.topic(), u.subscriptionId());
        if (s.isEmpty() || s.get().deleted()) {
            return error(ErrorCode.NOT_FOUND, "Subscription does not exist: " + TopicArns.subscription(u.topic(), u.subscriptionId()));
        }
        remove(txn, s.get());
        TopicStore.topic(txn, u.topic()).ifPresent(t -> TopicStore.putTopic(txn, t.withSubscriptionChange(
                s.get().confirmed() ? -1 : 0, s.get().confirmed() ? 0 : -1, hasFilter(s.get().attributes()) ? -1 : 0)));
        return new PartitionResult.Ok();
    }

    static PartitionResult setSubscriptionAttribute(EntryContext ctx, TopicCommand.SetSubscriptionAttribute c) {
        StoreTxn txn = ctx.txn();
        Optional<Subscription> s = TopicStore.subscription(txn, c.topic(), c.subscriptionId());
        Optional<Topic> t = TopicStore.topic(txn, c.topic());
        if (s.isEmpty() || s.get().deleted() || t.isEmpty()) {
            return error(ErrorCode.NOT_FOUND, "Subscription does not exist: " + TopicArns.subscription(c.topic(), c.subscriptionId()));
        }
        Map<String, String> attributes = new HashMap<>(s.get().attributes());
        if (c.value().isEmpty() && !c.attribute().equals(TopicAttributes.RAW_MESSAGE_DELIVERY)) {
            attributes.remove(c.attribute());
        } else {
            attributes.put(c.attribute(), c.value());
        }
        try {
            TopicAttributes.subscriptionAttribute(s.get().protocol(), c.attribute(), c.value(), attributes);
        } catch (io.pontoon.core.error.BrokerException e) {
            return error(e.code(), e.getMessage());
        }
        int filterDelta = (hasFilter(attributes) ? 1 : 0) - (hasFilter(s.get().attributes()) ? 1 : 0);
        if (filterDelta > 0 && t.get().filterPolicies() >= Limits.MAX_FILTER_POLICIES_PER_TOPIC) {
            return filterLimit(c.topic());
        }
        TopicStore.putSubscription(txn, s.get().withAttributes(attributes));
        TopicStore.putTopic(txn, t.get().withSubscriptionChange(0, 0, filterDelta));
        return new PartitionResult.Ok();
    }

    static PartitionResult forget(EntryContext ctx, TopicCommand.ForgetSubscription f) {
        Optional<Subscription> s = TopicStore.subscription(ctx.txn(), f.topic(), f.subscriptionId());
        if (s.isPresent() && s.get().deleted() && !TopicStore.hasHttpDeliveries(ctx.txn(), f.subscriptionId())) {
            TopicStore.deleteSubscription(ctx.txn(), s.get());
        }
        return new PartitionResult.Ok();
    }

    private static void remove(StoreTxn txn, Subscription s) {
        if (s.deleted()) {
            return;
        }
        if (s.isHttp()) {
            TopicStore.putSubscription(txn, s.tombstone());
        } else {
            TopicStore.deleteSubscription(txn, s);
        }
    }

    static boolean hasFilter(Map<String, String> attributes) {
        String p = attributes.get(TopicAttributes.FILTER_POLICY);
        return p != null && !p.isEmpty();
    }

    static PartitionResult topicNotFound(String topic) {
        return error(ErrorCode.NOT_FOUND, "Topic does not exist: " + TopicArns.topic(topic));
    }

    private static PartitionResult filterLimit(String topic) {
        return error(ErrorCode.FILTER_POLICY_LIMIT_EXCEEDED, "Topic " + topic + " already has " + Limits.MAX_FILTER_POLICIES_PER_TOPIC
                + " subscriptions with a filter policy, the most it may have.");
    }

    static PartitionResult error(ErrorCode code, String message) {
        return new PartitionResult.Error(code, message);
    }
}
