package io.pontoon.core.topic;

import io.pontoon.core.codec.Json;
import io.pontoon.core.partition.EntryContext;
import io.pontoon.core.partition.MessageIds;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.topic.TopicCommand.PublishEntry;
import io.pontoon.core.topic.filter.FilterPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publish and the settling of deliveries. A publish stores the message once and one delivery per confirmed
 * subscription whose filter policy matches, in the same entry, so an acknowledged publish is never without its
 * deliveries; the fan-out then works from those durable rows (DESIGN.md, cross-partition work).
 */
final class Publishing {
    private Publishing() {
    }

    static PartitionResult publish(EntryContext ctx, TopicCommand.Publish p, TopicSubscriptionsCache cache) {
        Optional<Topic> topic = TopicStore.topic(ctx.txn(), p.topic());
        if (topic.isEmpty()) {
            return TopicAdmin.topicNotFound(p.topic());
        }
        List<TopicSubscriptionsCache.Compiled> subscriptions = cache.of(ctx.txn(), topic.get());
        Topic t = topic.get();
        if (p.requestId() != null) {
            Optional<TopicResult.Published> earlier = TopicDedup.findRequest(ctx.txn(), t, p.requestId(), ctx.nowMs());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        boolean contentIds = "true".equals(t.attributes().get(TopicAttributes.CONTENT_BASED_DEDUPLICATION));
        if (t.isFifo() && !contentIds && p.entries().stream().anyMatch(e -> e.deduplicationId() == null)) {
            return TopicAdmin.error(io.pontoon.core.error.ErrorCode.INVALID_PARAMETER, "Invalid parameter: The topic should either have "
                    + "ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
        }
        List<String> ids = new ArrayList<>(p.entries().size());
        List<String> sequenceNumbers = new ArrayList<>(p.entries().size());
        for (PublishEntry e : p.entries()) {
            if (!t.isFifo()) {
                ids.add(publishOne(ctx, t, e, null, subscriptions).messageId());
                sequenceNumbers.add("");
                continue;
            }
            String dedupId = e.deduplicationId() != null ? e.deduplicationId() : TopicDedup.contentId(e.message());
            TopicDedup.Seen seen = TopicDedup.find(ctx.txn(), t, dedupId, ctx.nowMs())
                    .orElseGet(() -> {
                        PublishedMessage m = publishOne(ctx, t, e, dedupId, subscriptions);
                        TopicDedup.remember(ctx.txn(), t, dedupId, m.seq(), m.messageId(), ctx.nowMs());
                        return new TopicDedup.Seen(m.seq(), m.messageId());
                    });
            ids.add(seen.messageId());
            sequenceNumbers.add(PublishedMessage.sequenceNumberOf(seen.seq()));
        }
        TopicResult.Published answer = new TopicResult.Published(ids, sequenceNumbers);
        if (p.requestId() != null) {
            TopicDedup.rememberRequest(ctx.txn(), t, p.requestId(), answer, ctx.nowMs());
        }
        return answer;
    }

    private static PublishedMessage publishOne(EntryContext ctx, Topic topic, PublishEntry e, String deduplicationId,
                                               List<TopicSubscriptionsCache.Compiled> subscriptions) {
        long seq = ctx.allocateSeq();
        PublishedMessage m = new PublishedMessage(seq, MessageIds.of(ctx.partitionEpoch(), ctx.partitionId(), seq), topic.name(), ctx.nowMs(),
                e.message(), e.subject(), e.jsonStructure(), e.attributes(), e.groupId(), deduplicationId);
        Matcher matcher = new Matcher(e);
        int deliveries = 0;
        for (TopicSubscriptionsCache.Compiled c : subscriptions) {
            Subscription s = c.subscription();
            if (!s.confirmed() || !matcher.matches(c.filter())) {
                continue;
            }
            long deliverySeq = ctx.allocateSeq();
            if (s.isHttp()) {
                TopicStore.putHttpDelivery(ctx.txn(), s.id(), deliverySeq, seq);
            } else {
                boolean stream = s.protocol().equals("stream");
                TopicStore.putOrderedDelivery(ctx.txn(), deliverySeq, new TopicCodec.OrderedPointer(seq,
                        stream ? Deliveries.Target.STREAM : Deliveries.Target.QUEUE,
                        stream ? TopicArns.streamName(s.endpoint()) : TopicArns.queueName(s.endpoint()), s.rawMessageDelivery(), false, s.arn()));
            }
            deliveries++;
        }
        if (deliveries > 0) {
            TopicStore.putMessage(ctx.txn(), m, deliveries);
        }
        return m;
    }

    /** Evaluates filter policies against one message, parsing its body at most once. */
    private static final class Matcher {
        private final PublishEntry entry;
        private Map<String, FilterPolicy.Attribute> attributes;
        private Object body;
        private boolean bodyParsed;

        Matcher(PublishEntry entry) {
            this.entry = entry;
        }

        boolean matches(FilterPolicy filter) {
            if (filter == null) {
                return true;
            }
            if (filter.scope() == FilterPolicy.Scope.MESSAGE_BODY) {
                if (!bodyParsed) {
                    bodyParsed = true;
                    try {
                        body = Json.parse(entry.message());
                    } catch (IllegalArgumentException notJson) {
                        body = null;
                    }
                }
                return body != null && filter.matchesBody(body);
            }
            if (attributes == null) {
                attributes = new HashMap<>();
                entry.attributes().forEach((k, v) -> attributes.put(k, new FilterPolicy.Attribute(v.dataType(), v.stringValue())));
            }
            return filter.matchesAttributes(attributes);
        }
    }

    /**
     * Ordered deliveries whose destination does not exist go to their subscription's dead-letter queue (SNS moves a
     * message there on client-side errors such as a deleted queue); a delivery that already is the DLQ's, or whose
     * subscription has no DLQ (or is gone), is settled.
     */
    static PartitionResult deadLetter(EntryContext ctx, TopicCommand.DeadLetterDeliveries d) {
        StoreTxn txn = ctx.txn();
        for (long seq : d.ordered()) {
            Optional<TopicCodec.OrderedPointer> taken = takeOrderedDelivery(txn, seq);
            if (taken.isEmpty()) {
                continue;
            }
            TopicCodec.OrderedPointer p = taken.get();
            String subscriptionId = p.subscriptionArn().substring(p.subscriptionArn().lastIndexOf(':') + 1);
            Optional<Subscription> sub = p.deadLetter() ? Optional.empty() : TopicStore.message(txn, p.messageSeq())
                    .flatMap(m -> TopicStore.subscription(txn, m.topic(), subscriptionId));
            deadLetterOrSettle(ctx, p.messageSeq(), sub);
        }
        return new PartitionResult.Ok();
    }

    /** Removes ordered delivery {@code seq} and answers it; empty if it is already gone (a repeated report). */
    private static Optional<TopicCodec.OrderedPointer> takeOrderedDelivery(StoreTxn txn, long seq) {
        byte[] key = TopicKeys.seq(seq);
        Optional<byte[]> value = txn.aux(AuxTable.ORDERED_DELIVERY, key);
        value.ifPresent(v -> txn.deleteAux(AuxTable.ORDERED_DELIVERY, key));
        return value.map(TopicCodec::orderedPointerOf);
    }

    /** A failed delivery of message {@code messageSeq}: to the live subscription's dead-letter queue if it has one, else settled. */
    private static void deadLetterOrSettle(EntryContext ctx, long messageSeq, Optional<Subscription> subscription) {
        Optional<Subscription> live = subscription.filter(x -> !x.deleted() && x.deadLetterQueue() != null);
        if (live.isPresent()) {
            TopicStore.putOrderedDelivery(ctx.txn(), ctx.allocateSeq(), new TopicCodec.OrderedPointer(messageSeq, Deliveries.Target.QUEUE,
                    live.get().deadLetterQueue(), live.get().rawMessageDelivery(), true, live.get().arn()));
        } else {
            TopicStore.deliverySettled(ctx.txn(), messageSeq);
        }
    }

    static PartitionResult settle(EntryContext ctx, TopicCommand.SettleDeliveries s) {
        StoreTxn txn = ctx.txn();
        for (long seq : s.ordered()) {
            takeOrderedDelivery(txn, seq).ifPresent(p -> TopicStore.deliverySettled(txn, p.messageSeq()));
        }
        for (TopicCommand.HttpOutcome o : s.httpOutcomes()) {
            byte[] key = TopicKeys.httpDelivery(o.subscriptionId(), o.deliverySeq());
            Optional<byte[]> value = txn.aux(AuxTable.HTTP_DELIVERY, key);
            if (value.isEmpty()) {
                continue;
            }
            txn.deleteAux(AuxTable.HTTP_DELIVERY, key);
            long messageSeq = TopicCodec.longOf(value.get());
            Optional<Subscription> sub = o.delivered() ? Optional.empty() : TopicStore.message(txn, messageSeq)
                    .flatMap(m -> TopicStore.subscription(txn, m.topic(), o.subscriptionId()));
            deadLetterOrSettle(ctx, messageSeq, sub);
        }
        return new PartitionResult.Ok();
    }
}
