package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The topic checker on hand-made histories: a clean one passes (queue redeliveries after a visibility timeout and
 * repeated HTTP POSTs allowed); lost, duplicated and unexpected deliveries, a filter let through, a publish stored
 * twice and a stored publish missing from one subscription are each caught.
 */
class TopicCheckerTest {
    private static final long VISIBILITY_MS = 5_000;
    private static final long CLOCK_BOUND_MS = 250;

    private final List<Op> ops = new ArrayList<>();
    private long time;

    private void op(String process, String type, String f, Object value) {
        ops.add(new Op(time += 10, process, type, f, value));
    }

    private void later(long seconds) {
        time += TimeUnit.SECONDS.toNanos(seconds);
    }

    /** Two unfiltered queues' worth: q-a (read by c0), q-even behind {"parity":["even"]} (c1), and the HTTP endpoint (h0). */
    private void subscriptions() {
        op("setup", Op.OK, "subscriptions", List.of("sqs|q-a|*|c0", "sqs|q-even|even|c1", "http|http-h0|*|h0"));
    }

    private void published(String value, String parity, String messageId) {
        op("p0", Op.INVOKE, "publish", value + "|" + parity);
        op("p0", Op.OK, "publish", value + "|" + parity + "|" + messageId);
    }

    private void unknownOutcome(String value, String parity) {
        op("p0", Op.INVOKE, "publish", value + "|" + parity);
        ops.add(new Op(time += 10, "p0", Op.INFO, "publish", value + "|" + parity, "DEADLINE_EXCEEDED"));
    }

    private static String delivery(String value, String parity, String messageId, String sqsId, int count) {
        return new TopicChecker.Delivery(value, parity, messageId, sqsId, count).encode();
    }

    private void receive(String consumer, String... deliveries) {
        op(consumer, Op.INVOKE, "receive", "q");
        op(consumer, Op.OK, "receive", List.of(deliveries));
    }

    private void deleted(String consumer, String... values) {
        op(consumer, Op.INVOKE, "delete", List.of(values));
        op(consumer, Op.OK, "delete", List.of(values));
    }

    private void posted(String value, String parity, String messageId, String header) {
        op("h0", Op.OK, "http", List.of(new TopicChecker.Delivery(value, parity, messageId, header, -1).encode()));
    }

    private TopicChecker.Result check() {
        return TopicChecker.result(ops, VISIBILITY_MS, CLOCK_BOUND_MS);
    }

    /** p0-0 (even) reaches all three subscriptions, p0-1 (odd) the two without a filter. */
    private void cleanHistory() {
        subscriptions();
        published("p0-0", "even", "m0");
        published("p0-1", "odd", "m1");
        receive("c0", delivery("p0-0", "even", "m0", "s0", 1), delivery("p0-1", "odd", "m1", "s1", 1));
        deleted("c0", "p0-0", "p0-1");
        receive("c1", delivery("p0-0", "even", "m0", "s2", 1));
        deleted("c1", "p0-0");
        posted("p0-0", "even", "m0", "m0");
        posted("p0-1", "odd", "m1", "m1");
    }

    @Test
    void everyAcknowledgedPublishInEveryMatchingSubscriptionOnceIsValid() {
        cleanHistory();
        TopicChecker.Result r = check();
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.total().valid(), r.total().describe());
        assertEquals(2, r.total().acked(), "acked counts publishes");
        assertEquals(5, r.total().receivedDistinct(), "received counts (subscription, value) pairs: 2 + 1 + 2");
        assertEquals(3, r.subscriptions().size());
        assertEquals(1, r.subscriptions().get(1).expected(), "q-even is owed the even publish only");
    }

    @Test
    void aQueueRedeliveryAfterItsVisibilityTimeoutAndARepeatedHttpPostAreAllowed() {
        subscriptions();
        published("p0-0", "even", "m0");
        receive("c0", delivery("p0-0", "even", "m0", "s0", 1)); // its delete is lost: the message comes back
        later(6);
        receive("c0", delivery("p0-0", "even", "m0", "s0", 2));
        deleted("c0", "p0-0");
        receive("c1", delivery("p0-0", "even", "m0", "s1", 1));
        posted("p0-0", "even", "m0", "m0");
        posted("p0-0", "even", "m0", "m0"); // at least once: a new leader resends
        TopicChecker.Result r = check();
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.total().valid());
        assertEquals(2, r.total().duplicates(), "counted, not a violation");
    }

    @Test
    void anAcknowledgedPublishMissingFromAMatchingQueueOrTheEndpointIsLost() {
        subscriptions();
        published("p0-0", "even", "m0");
        published("p0-2", "even", "m2");
        receive("c0", delivery("p0-0", "even", "m0", "s0", 1), delivery("p0-2", "even", "m2", "s2", 1));
        receive("c1", delivery("p0-2", "even", "m2", "s3", 1));
        posted("p0-0", "even", "m0", "m0");
        TopicChecker.Result r = check();
        assertEquals(List.of("q-even:p0-0", "http-h0:p0-2"), r.lost());
        assertEquals(List.of("q-even:p0-0"), r.total().lostPrefix(), "below the lowest value q-even received of p0");
        assertEquals(List.of("http-h0:p0-2"), r.total().lostPostfix());
    }

    @Test
    void aPublishThatItsFilterExcludesInAQueueIsUnexpected() {
        cleanHistory();
        receive("c1", delivery("p0-1", "odd", "m1", "s4", 1));
        TopicChecker.Result r = check();
        assertEquals(List.of("q-even:p0-1"), r.unexpected());
    }

    @Test
    void aValueNobodyPublishedIsUnexpected() {
        cleanHistory();
        receive("c0", delivery("p7-3", "odd", "m9", "s9", 1));
        assertEquals(List.of("q-a:p7-3"), check().unexpected());
    }

    @Test
    void oneMessageStoredTwiceInAQueueIsDuplicated() {
        cleanHistory();
        later(6);
        receive("c0", delivery("p0-0", "even", "m0", "s0", 1)); // again at receive count 1, after its delete
        TopicChecker.Result r = check();
        assertTrue(r.duplicated().stream().anyMatch(d -> d.startsWith("q-a:p0-0 (MessageId m0) delivered more than once at receive count [1]")),
                r.duplicated().toString());
        assertTrue(r.duplicated().stream().anyMatch(d -> d.contains("after its delete completed")), "the delete was checked: " + r.duplicated());
        assertTrue(r.total().valid(), "nothing lost or unexpected");
        assertTrue(r.anomalies().get(0).contains("duplicated"), r.anomalies().toString());
    }

    @Test
    void twoCopiesOfOneMessageInOneReceiveAreDuplicated() {
        subscriptions();
        published("p0-0", "even", "m0");
        receive("c1", delivery("p0-0", "even", "m0", "s0", 1), delivery("p0-0", "even", "m0", "s0", 1));
        assertTrue(check().duplicated().stream().anyMatch(d -> d.startsWith("q-even:p0-0")), check().duplicated().toString());
    }

    @Test
    void anUnacknowledgedPublishArrivesAtMostOncePerQueue() {
        cleanHistory();
        unknownOutcome("p0-2", "even");
        receive("c0", delivery("p0-2", "even", "x1", "s5", 1), delivery("p0-2", "even", "x2", "s6", 1));
        receive("c1", delivery("p0-2", "even", "x1", "s7", 1));
        posted("p0-2", "even", "x1", "x1");
        TopicChecker.Result r = check();
        assertEquals(List.of("q-a:p0-2 delivered as 2 messages [x1, x2] (one publish stored twice; its one Publish call outcome unknown: "
                + "DEADLINE_EXCEEDED)"), r.duplicated());
        assertEquals(List.of("q-a:p0-2", "q-even:p0-2", "http-h0:p0-2"), r.total().recovered());
    }

    @Test
    void anUnacknowledgedPublishMayBeMissingEverywhereButNotFromOneMatchingSubscription() {
        cleanHistory();
        unknownOutcome("p0-2", "even");
        unknownOutcome("p0-3", "odd");
        assertEquals(List.of(), check().anomalies(), "p0-2 and p0-3 may never have been stored");
        receive("c0", delivery("p0-2", "even", "x2", "s5", 1), delivery("p0-3", "odd", "x3", "s6", 1));
        posted("p0-3", "odd", "x3", "x3");
        TopicChecker.Result r = check();
        assertEquals(List.of("q-even:p0-2 (publish of unknown outcome, delivered to [q-a])",
                "http-h0:p0-2 (publish of unknown outcome, delivered to [q-a])"), r.partial());
        assertTrue(r.lost().isEmpty(), "not acknowledged, so not lost");
    }

    @Test
    void aDeliveryThatDoesNotMatchItsPublishIsUnexpected() {
        subscriptions();
        published("p0-0", "even", "m0");
        receive("c0", delivery("p0-0", "even", "m0", "s0", 1));
        receive("c1", delivery("p0-0", "odd", "m0", "s1", 1));  // the attribute changed on the way
        posted("p0-0", "even", "m5", "m5");                      // another MessageId than acknowledged
        posted("p0-0", "even", "m0", "m6");                      // the header disagrees with the envelope
        TopicChecker.Result r = check();
        assertEquals(3, r.mismatched().size(), r.mismatched().toString());
        assertTrue(r.unexpected().containsAll(r.mismatched()));
        assertTrue(r.duplicated().stream().anyMatch(d -> d.startsWith("http-h0:p0-0 delivered as 2 messages")), r.duplicated().toString());
    }

    @Test
    void noRecordedSubscriptionsIsAnAnomaly() {
        published("p0-0", "even", "m0");
        assertEquals(List.of("the topic's subscriptions were not recorded: nothing checked"), check().anomalies());
    }

    @Test
    void publishesAndReceivesBecomeSendsAndReceivesForTheLivenessChecks() {
        cleanHistory();
        unknownOutcome("p0-2", "even");
        List<Op> converted = TopicChecker.sendsAndReceives(ops);
        assertEquals(3, converted.stream().filter(o -> "send".equals(o.f()) && Op.INVOKE.equals(o.type())).count());
        assertEquals(List.of("p0-0", "p0-1"), converted.stream().filter(o -> "send".equals(o.f()) && Op.OK.equals(o.type())).map(Op::value).toList());
        assertEquals(List.of(List.of("p0-0", "p0-1"), List.of("p0-0")), converted.stream()
                .filter(o -> "receive".equals(o.f()) && Op.OK.equals(o.type())).map(Op::value).toList());
        assertTrue(converted.stream().noneMatch(o -> "publish".equals(o.f())));
    }

    @Test
    void theEnvelopeIsReadAsTheWorkloadRecordsIt() {
        String arn = "arn:aws:sns:pontoon:000000000000:chaos-wt";
        String body = "{\"Type\":\"Notification\",\"MessageId\":\"5f0c\",\"TopicArn\":\"" + arn + "\",\"Message\":\"p1-7\","
                + "\"Timestamp\":\"2026-12-07T02:00:00.000Z\",\"SignatureVersion\":\"1\",\"Signature\":\"ab+/==\","
                + "\"UnsubscribeURL\":\"pontoon:Unsubscribe?SubscriptionArn=x\",\"MessageAttributes\":{\"parity\":{\"Type\":\"String\",\"Value\":\"odd\"}}}";
        assertEquals(new TopicChecker.Delivery("p1-7", "odd", "5f0c", "q9", 2), TopicWorkload.delivery(body, arn, "q9", "2"));
        TopicChecker.Delivery other = TopicWorkload.delivery(body, arn + "-other", "q9", "");
        assertTrue(other.value().startsWith("?"), "another topic's envelope is a value nobody published: " + other);
        assertTrue(TopicWorkload.delivery("p1-7", arn, "q9", "").value().startsWith("?"), "a raw body is not an envelope");
        TopicChecker.Delivery d = new TopicChecker.Delivery("p1-7", "odd", "5f0c", "q9", -1);
        assertEquals(d, TopicChecker.Delivery.parse(d.encode()));
        TopicChecker.Subscription s = TopicChecker.Subscription.parse("sqs|q-even|even|c2");
        assertEquals("sqs|q-even|even|c2", s.encode());
        assertTrue(s.matches("even") && !s.matches("odd"));
        assertTrue(TopicChecker.Subscription.parse("http|h|*|h0").matches("odd"));
    }
}
