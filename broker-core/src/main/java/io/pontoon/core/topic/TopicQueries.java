package io.pontoon.core.topic;

import io.pontoon.core.Limits;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Answers to topic queries from one consistent view of a partition. */
final class TopicQueries {
    private static final int PAGE = 64;

    private TopicQueries() {
    }

    static QueryResult answer(StoreView view, TopicQuery query) {
        return switch (query) {
            case TopicQuery.GetTopic g -> TopicStore.topic(view, g.name())
                    .<QueryResult>map(TopicQueryResult.TopicFound::new)
                    .orElseGet(() -> notFound("Topic does not exist: " + TopicArns.topic(g.name())));
            case TopicQuery.ListSubscriptions l -> list(view, l);
            case TopicQuery.GetSubscription g -> {
                Optional<Subscription> s = TopicStore.subscription(view, g.topic(), g.subscriptionId()).filter(x -> !x.deleted());
                yield s.<QueryResult>map(x -> new TopicQueryResult.SubscriptionFound(x, TopicStore.topic(view, g.topic())
                                .map(t -> t.attributes().get(TopicAttributes.DELIVERY_POLICY)).orElse(null)))
                        .orElseGet(() -> notFound("Subscription does not exist: " + TopicArns.subscription(g.topic(), g.subscriptionId())));
            }
            case TopicQuery.ReadOrderedDeliveries r -> queueDeliveries(view, r);
            case TopicQuery.ReadHttpDeliveries r -> httpDeliveries(view, r);
        };
    }

    private static QueryResult list(StoreView view, TopicQuery.ListSubscriptions l) {
        int limit = TopicStore.cap(l.limit(), Limits.MAX_SUBSCRIPTIONS_PER_TOPIC);
        byte[] prefix = l.topic().isEmpty() ? new byte[0] : TopicKeys.subscriptionsOf(l.topic());
        byte[] after = l.startAfter();
        List<Subscription> out = new ArrayList<>();
        while (true) {
            List<AuxEntry> page = view.auxRange(AuxTable.SUBSCRIPTION, prefix, after, PAGE);
            for (AuxEntry e : page) {
                Subscription s = TopicCodec.subscriptionOf(e.value());
                if (!s.deleted() || l.withTombstones()) {
                    out.add(s);
                    if (out.size() == limit) {
                        return new TopicQueryResult.SubscriptionList(out, e.key());
                    }
                }
            }
            if (page.size() < PAGE) {
                return new TopicQueryResult.SubscriptionList(out, null);
            }
            after = page.get(page.size() - 1).key();
        }
    }

    private static QueryResult queueDeliveries(StoreView view, TopicQuery.ReadOrderedDeliveries r) {
        int limit = TopicStore.cap(r.limit(), Limits.MAX_FANOUT_BATCH);
        List<Deliveries.Ordered> out = new ArrayList<>();
        Map<Long, PublishedMessage> messages = new HashMap<>();
        long bytes = 0;
        byte[] after = r.afterSeq() < 0 ? null : TopicKeys.seq(r.afterSeq());
        while (out.size() < limit) {
            List<AuxEntry> page = view.auxRange(AuxTable.ORDERED_DELIVERY, new byte[0], after, Math.min(PAGE, limit - out.size()));
            for (AuxEntry e : page) {
                TopicCodec.OrderedPointer p = TopicCodec.orderedPointerOf(e.value());
                PublishedMessage m = messages.computeIfAbsent(p.messageSeq(), seq -> TopicStore.message(view, seq).orElse(null));
                if (m == null) {
                    throw new IllegalStateException("queue delivery " + TopicKeys.seqOf(e.key()) + " has no message " + p.messageSeq());
                }
                bytes += size(m);
                if (!out.isEmpty() && bytes > r.maxBytes()) {
                    return new TopicQueryResult.OrderedDeliveries(out);
                }
                out.add(new Deliveries.Ordered(TopicKeys.seqOf(e.key()), p.target(), p.name(), p.raw(), p.deadLetter(), p.subscriptionArn(), m));
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        return new TopicQueryResult.OrderedDeliveries(out);
    }

    private static QueryResult httpDeliveries(StoreView view, TopicQuery.ReadHttpDeliveries r) {
        int limit = TopicStore.cap(r.limit(), Limits.MAX_FANOUT_BATCH);
        List<Deliveries.ToHttp> out = new ArrayList<>();
        long bytes = 0;
        byte[] prefix = TopicKeys.httpDeliveriesOf(r.subscriptionId());
        byte[] after = r.afterSeq() < 0 ? null : TopicKeys.httpDelivery(r.subscriptionId(), r.afterSeq());
        while (out.size() < limit) {
            List<AuxEntry> page = view.auxRange(AuxTable.HTTP_DELIVERY, prefix, after, Math.min(PAGE, limit - out.size()));
            for (AuxEntry e : page) {
                long messageSeq = TopicCodec.longOf(e.value());
                PublishedMessage m = TopicStore.message(view, messageSeq)
                        .orElseThrow(() -> new IllegalStateException("http delivery has no message " + messageSeq));
                bytes += size(m);
                if (!out.isEmpty() && bytes > r.maxBytes()) {
                    return new TopicQueryResult.HttpDeliveries(out);
                }
                out.add(new Deliveries.ToHttp(TopicKeys.httpDeliverySeq(e.key()), m));
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        return new TopicQueryResult.HttpDeliveries(out);
    }

    /** A message's weight in a read: its text plus attributes, as a delivery will carry them. */
    private static long size(PublishedMessage m) {
        long n = 2L * m.message().length() + 512;
        for (MessageAttribute a : m.attributes().values()) {
            n += a.sizeBytes() + 64;
        }
        return n;
    }

    private static QueryResult notFound(String message) {
        return new QueryResult.Error(ErrorCode.NOT_FOUND, message);
    }
}
