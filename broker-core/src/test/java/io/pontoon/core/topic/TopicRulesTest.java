package io.pontoon.core.topic;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** The topic model's rules, applied through the partition state machine on an in-memory store. */
class TopicRulesTest {
    private static final String Q = "arn:aws:sqs:pontoon:000000000000:";
    private final InMemoryPartitionStore store = new InMemoryPartitionStore();
    private final PartitionStateMachine sm = new PartitionStateMachine(1, CoreConfig.DEFAULTS);
    private long index;
    private long nowMs = 1_700_000_000_000L;

    private PartitionResult apply(PartitionCommand c) {
        // Every command goes through the codec, as it does in the log.
        PartitionCommand decoded = PartitionCodec.decode(PartitionCodec.encode(List.of(c))).get(0);
        return sm.apply(store, List.of(decoded), ++index, 1, nowMs).get(0);
    }

    private QueryResult query(TopicQuery q) {
        try (StoreView v = store.view()) {
            return PartitionCodec.decodeQueryResult(PartitionCodec.encodeQueryResult(sm.query(v, q, nowMs)));
        }
    }

    private void create(String topic) {
        assertInstanceOf(TopicResult.TopicCreated.class, apply(new TopicCommand.CreateTopic(topic, Map.of(), Map.of())));
    }

    private String subscribeQueue(String topic, String queue, Map<String, String> attrs) {
        return assertInstanceOf(TopicResult.Subscribed.class, apply(new TopicCommand.Subscribe(topic, "sqs", Q + queue, attrs, null))).subscriptionId();
    }

    private List<String> publish(String topic, String message, Map<String, String> stringAttributes) {
        TreeMap<String, MessageAttribute> attrs = new TreeMap<>();
        stringAttributes.forEach((k, v) -> attrs.put(k, new MessageAttribute("String", v, null)));
        return assertInstanceOf(TopicResult.Published.class, apply(new TopicCommand.Publish(topic,
                List.of(new TopicCommand.PublishEntry("", message, null, false, attrs, null, null))))).messageIds();
    }

    private List<Deliveries.Ordered> queueDeliveries() {
        return assertInstanceOf(TopicQueryResult.OrderedDeliveries.class, query(new TopicQuery.ReadOrderedDeliveries(-1, 500, 1 << 20))).deliveries();
    }

    private List<Deliveries.ToHttp> httpDeliveries(String subscriptionId) {
        return assertInstanceOf(TopicQueryResult.HttpDeliveries.class, query(new TopicQuery.ReadHttpDeliveries(subscriptionId, -1, 500, 1 << 20))).deliveries();
    }

    private static ErrorCode code(PartitionResult r) {
        return assertInstanceOf(PartitionResult.Error.class, r).code();
    }

    @Test
    void createTopicIsIdempotentButRefusesDifferentAttributes() {
        assertTrue(((TopicResult.TopicCreated) apply(new TopicCommand.CreateTopic("t", Map.of("DisplayName", "a"), Map.of()))).created());
        assertFalse(((TopicResult.TopicCreated) apply(new TopicCommand.CreateTopic("t", Map.of("DisplayName", "a"), Map.of()))).created());
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.CreateTopic("t", Map.of("DisplayName", "b"), Map.of()))));
    }

    @Test
    void subscribingAgainIsIdempotentButRefusesDifferentAttributes() {
        create("t");
        String id = subscribeQueue("t", "q", Map.of("RawMessageDelivery", "true"));
        assertEquals(id, subscribeQueue("t", "q", Map.of("RawMessageDelivery", "true")));
        assertEquals(id, subscribeQueue("t", "q", Map.of()), "no attributes given: nothing differs");
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.Subscribe("t", "sqs", Q + "q", Map.of("RawMessageDelivery", "false"), null))));
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.Subscribe("t", "sqs", Q + "q",
                Map.of("FilterPolicy", "{\"color\":[\"red\"]}"), null))));
    }

    @Test
    void aPublishMakesOneDeliveryPerConfirmedMatchingSubscriptionInPublishOrder() {
        create("t");
        String all = subscribeQueue("t", "all", Map.of());
        subscribeQueue("t", "red", Map.of("FilterPolicy", "{\"color\":[\"red\"]}"));
        PartitionResult pending = apply(new TopicCommand.Subscribe("t", "http", "http://127.0.0.1/x", Map.of(), "tok"));
        assertTrue(assertInstanceOf(TopicResult.Subscribed.class, pending).pending(), "an http subscription waits for confirmation");

        String m1 = publish("t", "one", Map.of("color", "red")).get(0);
        String m2 = publish("t", "two", Map.of("color", "blue")).get(0);

        List<Deliveries.Ordered> d = queueDeliveries();
        assertEquals(List.of("all", "red", "all"), d.stream().map(Deliveries.Ordered::name).toList(), "the filter keeps blue from red");
        assertEquals(List.of(m1, m1, m2), d.stream().map(x -> x.message().messageId()).toList());
        assertTrue(d.get(0).seq() < d.get(1).seq() && d.get(1).seq() < d.get(2).seq(), "deliveries sort in publish order");
        assertEquals(TopicArns.subscription("t", all), d.get(0).subscriptionArn());
        assertEquals("one", d.get(0).message().message());
        assertEquals(nowMs, d.get(0).message().publishedMs(), "the message's time is the entry's leader time");
    }

    @Test
    void aPublishCommandSubmittedAgainWithItsRequestIdPublishesNothingTwice() {
        create("t");
        subscribeQueue("t", "q", Map.of());
        TopicCommand.Publish p = new TopicCommand.Publish("t", List.of(new TopicCommand.PublishEntry("", "once", null, false, new TreeMap<>(),
                null, null)), "req-1");
        TopicResult.Published first = assertInstanceOf(TopicResult.Published.class, apply(p));
        TopicResult.Published again = assertInstanceOf(TopicResult.Published.class, apply(p));
        assertEquals(first.messageIds(), again.messageIds(), "the repeat gets the first answer");
        assertEquals(1, queueDeliveries().size(), "and delivers nothing more");
        nowMs += io.pontoon.core.Limits.DEDUP_WINDOW_MS + 1;
        apply(new io.pontoon.core.partition.Tick());
        assertNotEquals(first.messageIds(), assertInstanceOf(TopicResult.Published.class, apply(p)).messageIds(), "the id is remembered 5 minutes");
    }

    @Test
    void subscribingTheSameEndpointAgainAnswersTheSameSubscription() {
        create("t");
        assertEquals(subscribeQueue("t", "q", Map.of()), subscribeQueue("t", "q", Map.of()));
    }

    @Test
    void settlingTheLastDeliveryOfAMessageDeletesIt() {
        create("t");
        subscribeQueue("t", "a", Map.of());
        subscribeQueue("t", "b", Map.of());
        publish("t", "m", Map.of());
        List<Deliveries.Ordered> d = queueDeliveries();
        apply(new TopicCommand.SettleDeliveries(List.of(d.get(0).seq()), List.of()));
        assertEquals(1, queueDeliveries().size(), "the other delivery still has its message");
        apply(new TopicCommand.SettleDeliveries(List.of(d.get(1).seq(), d.get(1).seq()), List.of()));
        assertTrue(queueDeliveries().isEmpty());
        try (StoreView v = store.view()) {
            assertTrue(TopicStore.message(v, d.get(0).message().seq()).isEmpty(), "the message went with its last delivery");
        }
    }

    @Test
    void anHttpSubscriptionIsConfirmedByItsTokenOnly() {
        create("t");
        String id = ((TopicResult.Subscribed) apply(new TopicCommand.Subscribe("t", "https", "https://example.com/", Map.of(), "secret"))).subscriptionId();
        publish("t", "before", Map.of());
        assertTrue(httpDeliveries(id).isEmpty(), "a pending subscription gets nothing");
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.ConfirmSubscription("t", "wrong"))));
        assertEquals(id, ((TopicResult.Subscribed) apply(new TopicCommand.ConfirmSubscription("t", "secret"))).subscriptionId());
        publish("t", "after", Map.of());
        assertEquals(List.of("after"), httpDeliveries(id).stream().map(x -> x.message().message()).toList());
    }

    @Test
    void aFailedHttpDeliveryGoesToTheSubscriptionsDeadLetterQueueOrIsDropped() {
        create("t");
        String withDlq = confirmedHttp("t", "http://a/", Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + Q + "dlq\"}"));
        String without = confirmedHttp("t", "http://b/", Map.of());
        publish("t", "m", Map.of());
        long a = httpDeliveries(withDlq).get(0).seq(), b = httpDeliveries(without).get(0).seq();
        apply(new TopicCommand.SettleDeliveries(List.of(), List.of(new TopicCommand.HttpOutcome(withDlq, a, false),
                new TopicCommand.HttpOutcome(without, b, false))));
        List<Deliveries.Ordered> d = queueDeliveries();
        assertEquals(1, d.size());
        assertEquals("dlq", d.get(0).name());
        assertTrue(d.get(0).deadLetter());
        assertEquals("m", d.get(0).message().message(), "the message stays while its dead-letter delivery is pending");
        assertTrue(httpDeliveries(withDlq).isEmpty() && httpDeliveries(without).isEmpty());
    }

    @Test
    void aDeliveryWhoseQueueIsGoneGoesToTheSubscriptionsDeadLetterQueueOrIsDropped() {
        create("t");
        subscribeQueue("t", "gone-with-dlq", Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + Q + "dlq\"}"));
        subscribeQueue("t", "gone-without", Map.of());
        publish("t", "m", Map.of());
        List<Deliveries.Ordered> d = queueDeliveries();
        assertEquals(2, d.size());
        apply(new TopicCommand.DeadLetterDeliveries(d.stream().map(Deliveries.Ordered::seq).toList()));
        List<Deliveries.Ordered> toDlq = queueDeliveries();
        assertEquals(1, toDlq.size(), "the one without a DLQ is dropped");
        assertEquals("dlq", toDlq.get(0).name());
        assertTrue(toDlq.get(0).deadLetter());
        assertEquals("m", toDlq.get(0).message().message(), "the message stays while its dead-letter delivery is pending");
        apply(new TopicCommand.DeadLetterDeliveries(List.of(toDlq.get(0).seq())));
        assertTrue(queueDeliveries().isEmpty(), "a DLQ that is gone too drops the delivery");
        try (StoreView v = store.view()) {
            assertTrue(TopicStore.message(v, d.get(0).message().seq()).isEmpty(), "the message went with its last delivery");
        }
        apply(new TopicCommand.DeadLetterDeliveries(List.of(toDlq.get(0).seq())));
        assertTrue(queueDeliveries().isEmpty(), "reporting a delivery again does nothing");
    }

    @Test
    void anUnsubscribedHttpSubscriptionIsATombstoneUntilItsDeliveriesAreGone() {
        create("t");
        String id = confirmedHttp("t", "http://a/", Map.of());
        publish("t", "m", Map.of());
        apply(new TopicCommand.Unsubscribe("t", id));
        assertInstanceOf(QueryResult.Error.class, query(new TopicQuery.GetSubscription("t", id)), "an unsubscribed subscription is not found");
        apply(new TopicCommand.ForgetSubscription("t", id));
        assertEquals(1, httpDeliveries(id).size(), "the tombstone stays while a delivery is pending");
        apply(new TopicCommand.SettleDeliveries(List.of(), List.of(new TopicCommand.HttpOutcome(id, httpDeliveries(id).get(0).seq(), false))));
        apply(new TopicCommand.ForgetSubscription("t", id));
        TopicQueryResult.SubscriptionList all = (TopicQueryResult.SubscriptionList) query(new TopicQuery.ListSubscriptions("t", null, 100, true));
        assertTrue(all.subscriptions().isEmpty(), "then it is forgotten");
    }

    @Test
    void deletingATopicRemovesItsSubscriptionsAndIsIdempotent() {
        create("t");
        subscribeQueue("t", "q", Map.of());
        assertInstanceOf(PartitionResult.Ok.class, apply(new TopicCommand.DeleteTopic("t")));
        assertInstanceOf(PartitionResult.Ok.class, apply(new TopicCommand.DeleteTopic("t")));
        assertEquals(ErrorCode.NOT_FOUND, code(apply(new TopicCommand.Publish("t", List.of(new TopicCommand.PublishEntry("", "m", null, false,
                new TreeMap<>(), null, null))))));
        create("t");
        assertTrue(((TopicQueryResult.SubscriptionList) query(new TopicQuery.ListSubscriptions("t", null, 100, false))).subscriptions().isEmpty(),
                "a topic created again starts without subscriptions");
    }

    @Test
    void anInvalidFilterPolicyIsRefusedAndChangesNothing() {
        create("t");
        PartitionResult r = apply(new TopicCommand.Subscribe("t", "sqs", Q + "q", Map.of("FilterPolicy", "{\"a\": \"not-an-array\"}"), null));
        assertEquals(ErrorCode.INVALID_PARAMETER, code(r));
        assertTrue(assertInstanceOf(PartitionResult.Error.class, r).message().contains("FilterPolicy"));
        assertEquals(0, ((TopicQueryResult.TopicFound) query(new TopicQuery.GetTopic("t"))).topic().subscriptions());
    }

    @Test
    void changingAFilterPolicyTakesEffectForTheNextPublish() {
        create("t");
        String id = subscribeQueue("t", "q", Map.of("FilterPolicy", "{\"k\":[\"a\"]}"));
        publish("t", "m1", Map.of("k", "b"));
        assertTrue(queueDeliveries().isEmpty());
        apply(new TopicCommand.SetSubscriptionAttribute("t", id, "FilterPolicy", "{\"k\":[\"b\"]}"));
        publish("t", "m2", Map.of("k", "b"));
        assertEquals(List.of("m2"), queueDeliveries().stream().map(d -> d.message().message()).toList());
    }

    @Test
    void aTopicHasAtMostItsSubscriptionLimit() {
        create("t");
        for (int i = 0; i < io.pontoon.core.Limits.MAX_SUBSCRIPTIONS_PER_TOPIC; i++) {
            subscribeQueue("t", "q" + i, Map.of());
        }
        assertEquals(ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, code(apply(new TopicCommand.Subscribe("t", "sqs", Q + "one-more", Map.of(), null))));
    }

    private TopicResult.Published publishFifo(String topic, String message, String group, String dedupId) {
        return assertInstanceOf(TopicResult.Published.class, apply(new TopicCommand.Publish(topic,
                List.of(new TopicCommand.PublishEntry("", message, null, false, new TreeMap<>(), group, dedupId)))));
    }

    @Test
    void aFifoTopicDeduplicatesForFiveMinutesByIdOrContent() {
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.CreateTopic("f.fifo", Map.of(), Map.of()))),
                "a .fifo name needs FifoTopic=true");
        apply(new TopicCommand.CreateTopic("f.fifo", Map.of("FifoTopic", "true"), Map.of()));
        subscribeQueue("f.fifo", "q.fifo", Map.of());
        TopicResult.Published first = publishFifo("f.fifo", "a", "g", "d1");
        TopicResult.Published again = publishFifo("f.fifo", "other text", "g", "d1");
        assertEquals(first.messageIds(), again.messageIds(), "a repeated deduplication id answers the first publish");
        assertEquals(first.sequenceNumbers(), again.sequenceNumbers());
        assertEquals(20, first.sequenceNumbers().get(0).length());
        assertEquals(1, queueDeliveries().size(), "and delivers nothing");
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.Publish("f.fifo",
                List.of(new TopicCommand.PublishEntry("", "x", null, false, new TreeMap<>(), "g", null))))), "no id and no content-based deduplication");
        apply(new TopicCommand.SetTopicAttribute("f.fifo", "ContentBasedDeduplication", "true"));
        String byContent = publishFifo("f.fifo", "same", "g", null).messageIds().get(0);
        assertEquals(byContent, publishFifo("f.fifo", "same", "g", null).messageIds().get(0));
        assertEquals("g", queueDeliveries().get(0).message().groupId());

        nowMs += io.pontoon.core.Limits.DEDUP_WINDOW_MS + 1;
        apply(new io.pontoon.core.partition.Tick());
        assertNotEquals(first.messageIds(), publishFifo("f.fifo", "a", "g", "d1").messageIds(), "after 5 minutes the id is new again");
    }

    @Test
    void onlyFifoQueuesSubscribeToAFifoTopicAndItsMessagesNeedAGroup() {
        apply(new TopicCommand.CreateTopic("o.fifo", Map.of("FifoTopic", "true"), Map.of()));
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.Subscribe("o.fifo", "sqs", Q + "standard", Map.of(), null))));
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.Subscribe("o.fifo", "http", "http://x/", Map.of(), "t"))));
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.Publish("o.fifo",
                List.of(new TopicCommand.PublishEntry("", "x", null, false, new TreeMap<>(), null, "d"))))));
        create("std");
        assertEquals(ErrorCode.INVALID_PARAMETER, code(apply(new TopicCommand.Publish("std",
                List.of(new TopicCommand.PublishEntry("", "x", null, false, new TreeMap<>(), null, "d"))))), "no deduplication id on a standard topic");
    }

    private String confirmedHttp(String topic, String url, Map<String, String> attrs) {
        String token = "tok-" + url;
        String id = ((TopicResult.Subscribed) apply(new TopicCommand.Subscribe(topic, "http", url, attrs, token))).subscriptionId();
        apply(new TopicCommand.ConfirmSubscription(topic, token));
        return id;
    }
}
