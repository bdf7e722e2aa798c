package io.pontoon.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a {@link TopicWorkload} history: publishes to one topic against what each of its subscriptions received.
 * The subscriptions (kind, name, the parities their filter policy lets through, the process that reads them) are
 * recorded by the workload as op {@code subscriptions}; a publish of value {@code v} with attribute
 * {@code parity} is meant for every subscription whose filter matches that parity.
 *
 * <ul>
 *   <li><b>lost</b> (total-queue per subscription): a publish acknowledged {@code ok} that a subscription whose filter
 *       matches it never received (split by position per producer, as for a queue);</li>
 *   <li><b>unexpected</b>: a subscription received a value that no publish meant for it attempted (a value never
 *       published, or one its filter policy excludes), or a value under another MessageId than its publish was
 *       acknowledged with, with another parity than it was published with, or (HTTP) with an
 *       {@code x-amz-sns-message-id} header that is not the envelope's MessageId;</li>
 *   <li><b>duplicated</b>: a queue subscription holding one message twice — two deliveries of one MessageId at the
 *       same ApproximateReceiveCount (each receive of one stored message raises its count, so two at one count are
 *       two stored copies), or a delivery by a receive begun after a delete of it that surely removed it
 *       ({@link LeaseChecker}'s checked deletes); and, on any subscription, one value under two MessageIds (one
 *       publish stored twice: the workload publishes each value once, without retries). Queue deliveries are exactly
 *       once per (message, subscription), acknowledged or not; a queue's own redelivery of a message whose visibility
 *       timeout ran out (same MessageId, a higher receive count) is allowed, counted as a redelivery;</li>
 *   <li><b>partial</b>: a publish of unknown outcome that reached one subscription (so it was stored) but not another
 *       that matches it: a stored message reaches every matching subscription;</li>
 *   <li><b>lease</b>: {@link LeaseChecker}'s visibility-lease overlaps and receive counts that went backwards, per queue.</li>
 * </ul>
 *
 * HTTP endpoints get each message at least once: repeated POSTs of one MessageId are allowed, counted. Unacknowledged
 * publishes may or may not arrive (counted as recovered when they do).
 */
final class TopicChecker {
    private TopicChecker() {
    }

    /**
     * A subscription as the workload recorded it: {@code kind|name|parities|process}, where kind is {@code sqs} or
     * {@code http}, parities is {@code *} (no filter policy) or the comma-separated parities its filter lets through,
     * and process is who reads it (the queue's consumer, the HTTP endpoint).
     */
    record Subscription(String kind, String name, Set<String> parities, String process) {
        static Subscription parse(String s) {
            String[] p = s.split("\\|", -1);
            Set<String> parities = p[2].equals("*") ? Set.of() : new TreeSet<>(Arrays.asList(p[2].split(",")));
            return new Subscription(p[0], p[1], parities, p[3]);
        }

        String encode() {
            return String.join("|", kind, name, parities.isEmpty() ? "*" : String.join(",", new TreeSet<>(parities)), process);
        }

        boolean matches(String parity) {
            return parities.isEmpty() || parities.contains(parity);
        }

        boolean queue() {
            return "sqs".equals(kind);
        }

        String filter() {
            return parities.isEmpty() ? "all" : "parity in " + parities;
        }
    }

    /**
     * One delivery as a reader recorded it: {@code value|parity|messageId|transportId|receiveCount}, with the SNS
     * envelope's Message, its parity attribute and MessageId; transportId is the SQS message's own MessageId for a
     * queue, the {@code x-amz-sns-message-id} header for HTTP; receiveCount the SQS ApproximateReceiveCount (empty for HTTP).
     */
    record Delivery(String value, String parity, String messageId, String transportId, int receiveCount) {
        static Delivery parse(String s) {
            String[] p = s.split("\\|", -1);
            String count = p.length > 4 ? p[4] : "";
            return new Delivery(p[0], p.length > 1 ? p[1] : "", p.length > 2 ? p[2] : "", p.length > 3 ? p[3] : "",
                    count.isEmpty() ? -1 : Integer.parseInt(count));
        }

        String encode() {
            return String.join("|", value, parity, messageId, transportId, receiveCount < 0 ? "" : Integer.toString(receiveCount));
        }
    }

    /** What one subscription saw: total-queue over the publishes meant for it, deliveries, and redeliveries (same message again). */
    record PerSubscription(Subscription subscription, int expected, TotalQueueChecker.Result total, int deliveries, int redeliveries) {
        String describe() {
            return "  " + subscription.name() + " (" + subscription.kind() + ", " + subscription.filter() + ", read by " + subscription.process()
                    + "): acked-for-it=" + expected + " received=" + total.receivedDistinct() + " deliveries=" + deliveries
                    + " lost=" + total.lost().size() + " unexpected=" + total.unexpected().size() + " repeated=" + redeliveries
                    + " recovered=" + total.recovered().size();
        }
    }

    /**
     * {@code total}: the per-subscription total-queue results merged (lost, unexpected and recovered values prefixed
     * {@code subscription:}; attempted, acked, info and failed count publishes; received and deliveries count
     * (subscription, value) pairs; mismatched deliveries are among {@code unexpected}).
     */
    record Result(TotalQueueChecker.Result total, List<PerSubscription> subscriptions, List<String> duplicated, List<String> mismatched,
                  List<String> partial, List<String> leases) {
        List<String> lost() {
            return total.lost();
        }

        List<String> unexpected() {
            return total.unexpected();
        }

        /** The topic's own violations (lost and unexpected are reported by the run from {@code total}). */
        List<String> anomalies() {
            List<String> a = new ArrayList<>();
            add(a, duplicated, "duplicated deliveries (a queue holding one message twice, or one publish stored twice)");
            add(a, partial, "stored publishes missing from a matching subscription");
            add(a, leases, "visibility lease violations on the subscribed queues");
            if (subscriptions.isEmpty()) a.add("the topic's subscriptions were not recorded: nothing checked");
            return a;
        }

        private static void add(List<String> out, List<String> found, String what) {
            if (!found.isEmpty()) out.add(found.size() + " " + what + ": " + ChaosRun.abbreviate(found));
        }

        List<String> report() {
            List<String> r = new ArrayList<>();
            r.add("topic: publishes=" + total.attempted() + " acked=" + total.acked() + " info=" + total.infoSends() + " failed="
                    + total.failedSends() + " subscriptions=" + subscriptions.size() + " lost=" + total.lost().size() + " duplicated="
                    + duplicated.size() + " unexpected=" + total.unexpected().size() + " (mismatched " + mismatched.size() + ") partial="
                    + partial.size() + " lease=" + leases.size() + " recovered=" + total.recovered().size());
            subscriptions.forEach(s -> r.add(s.describe()));
            return r;
        }
    }

    static Workload.Findings check(List<Op> history, long visibilityMs, long clockBoundMs) {
        Result r = result(history, visibilityMs, clockBoundMs);
        return new Workload.Findings(r.total(), sendsAndReceives(history), r.anomalies(), r.report());
    }

    static Result result(List<Op> history, long visibilityMs, long clockBoundMs) {
        List<Subscription> subs = subscriptions(history);
        Map<String, String> parityOf = new HashMap<>();  // value -> parity it was published with
        Map<String, String> ackedId = new HashMap<>();   // value -> MessageId its publish was acknowledged with
        Map<String, String> outcome = new HashMap<>();   // value -> how its Publish call ended (for the reports)
        int attempted = 0, acked = 0, info = 0, failed = 0;
        for (Op op : history) {
            if (!"publish".equals(op.f())) continue;
            String[] p = ((String) op.value()).split("\\|", -1);
            switch (op.type()) {
                case Op.INVOKE -> {
                    attempted++;
                    parityOf.put(p[0], p[1]);
                }
                case Op.OK -> {
                    acked++;
                    ackedId.put(p[0], p.length > 2 ? p[2] : "");
                    outcome.put(p[0], "acknowledged as " + ackedId.get(p[0]));
                }
                case Op.INFO -> {
                    info++;
                    outcome.put(p[0], "outcome unknown: " + abbreviate(op.error()));
                }
                case Op.FAIL -> {
                    failed++;
                    outcome.put(p[0], "failed: " + abbreviate(op.error()));
                }
                default -> throw new IllegalArgumentException("unknown op type: " + op);
            }
        }

        List<PerSubscription> per = new ArrayList<>();
        List<String> lost = new ArrayList<>(), prefix = new ArrayList<>(), middle = new ArrayList<>(), postfix = new ArrayList<>();
        List<String> unexpected = new ArrayList<>(), recovered = new ArrayList<>(), failedButReceived = new ArrayList<>();
        List<String> duplicated = new ArrayList<>(), mismatched = new ArrayList<>(), partial = new ArrayList<>(), leases = new ArrayList<>();
        int received = 0, deliveryCount = 0, duplicates = 0, extra = 0;
        Map<String, Set<String>> reachedBy = new HashMap<>(); // value -> subscriptions it reached
        for (Subscription s : subs) {
            List<Op> converted = new ArrayList<>();
            List<Delivery> deliveries = new ArrayList<>();
            int expected = 0;
            for (Op op : history) {
                if ("publish".equals(op.f())) {
                    String[] p = ((String) op.value()).split("\\|", -1);
                    String parity = parityOf.getOrDefault(p[0], p.length > 1 ? p[1] : "");
                    if (!s.matches(parity)) continue;
                    if (Op.OK.equals(op.type())) expected++;
                    converted.add(new Op(op.time(), op.process(), op.type(), "send", p[0], op.error()));
                } else if (s.process().equals(op.process()) && readOp(s, op) && Op.OK.equals(op.type())) {
                    List<String> values = new ArrayList<>();
                    for (String v : op.values()) {
                        Delivery d = Delivery.parse(v);
                        deliveries.add(d);
                        values.add(d.value());
                    }
                    converted.add(new Op(op.time(), op.process(), Op.OK, "receive", values, null));
                }
            }
            TotalQueueChecker.Result t = TotalQueueChecker.check(converted);
            String at = s.name() + ":";
            t.lost().forEach(v -> lost.add(at + v));
            t.lostPrefix().forEach(v -> prefix.add(at + v));
            t.lostMiddle().forEach(v -> middle.add(at + v));
            t.lostPostfix().forEach(v -> postfix.add(at + v));
            t.unexpected().forEach(v -> unexpected.add(at + v));
            t.recovered().forEach(v -> recovered.add(at + v));
            t.failedButReceived().forEach(v -> failedButReceived.add(at + v));
            received += t.receivedDistinct();
            deliveryCount += t.deliveries();
            duplicates += t.duplicates();
            extra += t.extraDeliveries();

            // Mismatches: the right value, but not as it was published.
            Map<String, Set<String>> idsOfValue = new TreeMap<>();
            Map<String, List<Integer>> countsOfMessage = new LinkedHashMap<>();
            Map<String, String> valueOfMessage = new HashMap<>();
            int redeliveries = 0;
            Set<String> seenMessages = new java.util.HashSet<>();
            for (Delivery d : deliveries) {
                reachedBy.computeIfAbsent(d.value(), k -> new TreeSet<>()).add(s.name());
                String published = parityOf.get(d.value());
                if (published != null && !published.equals(d.parity())) {
                    mismatched.add(at + d.value() + " delivered with parity '" + d.parity() + "', published with '" + published + "'");
                }
                String id = ackedId.get(d.value());
                if (id != null && !id.equals(d.messageId())) {
                    mismatched.add(at + d.value() + " delivered as MessageId " + d.messageId() + ", acknowledged as " + id);
                }
                if (!s.queue() && !d.messageId().equals(d.transportId())) {
                    mismatched.add(at + d.value() + " POSTed with x-amz-sns-message-id " + d.transportId() + " but MessageId " + d.messageId());
                }
                idsOfValue.computeIfAbsent(d.value(), k -> new TreeSet<>()).add(d.messageId());
                if (!seenMessages.add(d.messageId())) redeliveries++;
                if (s.queue()) {
                    countsOfMessage.computeIfAbsent(d.messageId(), k -> new ArrayList<>()).add(d.receiveCount());
                    valueOfMessage.put(d.messageId(), d.value());
                }
            }
            idsOfValue.forEach((value, ids) -> {
                if (ids.size() > 1) {
                    duplicated.add(at + value + " delivered as " + ids.size() + " messages " + ids + " (one publish stored twice; its one Publish call "
                            + outcome.getOrDefault(value, "was never made") + ")");
                }
            });
            countsOfMessage.forEach((message, counts) -> {
                Set<Integer> seen = new java.util.HashSet<>();
                Set<Integer> twice = new TreeSet<>();
                for (int c : counts) if (c >= 0 && !seen.add(c)) twice.add(c);
                if (!twice.isEmpty()) {
                    duplicated.add(at + valueOfMessage.get(message) + " (MessageId " + message + ") delivered more than once at receive count "
                            + twice + ": two stored copies");
                }
            });
            if (s.queue()) {
                LeaseChecker.Result l = LeaseChecker.check(leaseOps(s, history), visibilityMs, clockBoundMs);
                l.afterDelete().forEach(v -> duplicated.add(at + v));
                l.overlaps().forEach(v -> leases.add(at + "overlap " + v));
                l.countBackwards().forEach(v -> leases.add(at + v));
            }
            per.add(new PerSubscription(s, expected, t, deliveries.size(), redeliveries));
        }
        unexpected.addAll(mismatched);

        // A publish of unknown outcome that reached one subscription was stored: every matching subscription must get it.
        for (Map.Entry<String, Set<String>> e : new TreeMap<>(reachedBy).entrySet()) {
            String value = e.getKey();
            String parity = parityOf.get(value);
            if (parity == null || ackedId.containsKey(value)) continue; // never published (unexpected), or acknowledged (lost covers it)
            for (Subscription s : subs) {
                if (s.matches(parity) && !e.getValue().contains(s.name())) {
                    partial.add(s.name() + ":" + value + " (publish of unknown outcome, delivered to " + e.getValue() + ")");
                }
            }
        }
        TotalQueueChecker.Result total = new TotalQueueChecker.Result(attempted, acked, info, failed, received, deliveryCount,
                List.copyOf(lost), List.copyOf(prefix), List.copyOf(middle), List.copyOf(postfix), List.copyOf(unexpected), duplicates, extra,
                List.copyOf(recovered), List.copyOf(failedButReceived));
        return new Result(total, List.copyOf(per), List.copyOf(duplicated), List.copyOf(mismatched), List.copyOf(partial), List.copyOf(leases));
    }

    private static String abbreviate(String error) {
        if (error == null) return "no error recorded";
        return error.length() > 60 ? error.substring(0, 60) + "..." : error;
    }

    /** A queue subscription's reads are its consumer's {@code receive}s; an HTTP subscription's, its endpoint's {@code http} POSTs. */
    private static boolean readOp(Subscription s, Op op) {
        return s.queue() ? "receive".equals(op.f()) : "http".equals(op.f());
    }

    /** The subscriptions recorded by the workload (the last {@code subscriptions} op). */
    static List<Subscription> subscriptions(List<Op> history) {
        List<Subscription> subs = List.of();
        for (Op op : history) {
            if ("subscriptions".equals(op.f())) subs = op.values().stream().map(Subscription::parse).toList();
        }
        return subs;
    }

    /** One queue's consumer's ops as {@link LeaseChecker} reads a queue workload's: receive invokes, deliveries (by the SQS MessageId), deletes. */
    private static List<Op> leaseOps(Subscription s, List<Op> history) {
        List<Op> out = new ArrayList<>();
        for (Op op : history) {
            if (!s.process().equals(op.process())) continue;
            if ("receive".equals(op.f()) && Op.INVOKE.equals(op.type())) {
                out.add(op);
            } else if ("receive".equals(op.f()) && Op.OK.equals(op.type()) && !op.values().isEmpty()) {
                List<String> delivered = op.values().stream().map(Delivery::parse)
                        .map(d -> d.value() + "|" + d.transportId() + "||" + (d.receiveCount() < 0 ? "" : d.receiveCount())).toList();
                out.add(new Op(op.time(), op.process(), Op.OK, "deliveries", delivered, null));
            } else if ("delete".equals(op.f())) {
                out.add(op);
            }
        }
        return out;
    }

    /**
     * The history as the liveness checks read a queue's: each publish a {@code send} of its value, each consumer's
     * receive a {@code receive} of the values it got. Other ops (nemesis, HTTP POSTs, deletes) pass through unchanged.
     */
    static List<Op> sendsAndReceives(List<Op> history) {
        List<Op> out = new ArrayList<>();
        for (Op op : history) {
            switch (op.f()) {
                case "publish" -> out.add(new Op(op.time(), op.process(), op.type(), "send", ((String) op.value()).split("\\|", 2)[0], op.error()));
                case "receive" -> out.add(Op.OK.equals(op.type())
                        ? new Op(op.time(), op.process(), op.type(), "receive", op.values().stream().map(v -> Delivery.parse(v).value()).toList(), op.error())
                        : op);
                default -> out.add(op);
            }
        }
        return out;
    }
}
