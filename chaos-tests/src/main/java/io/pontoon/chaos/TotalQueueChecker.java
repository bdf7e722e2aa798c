package io.pontoon.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Jepsen's {@code total-queue} for an SQS standard queue, plus NATS-style lost-by-position.
 *
 * <ul>
 *   <li><b>attempted</b>: every value with a send invoke;</li>
 *   <li><b>acked</b>: values whose send completed ok;</li>
 *   <li><b>received</b>: values in any ok receive (a delivery counts even if its delete later failed);</li>
 *   <li><b>lost</b>: acked but never received — a safety violation;</li>
 *   <li><b>unexpected</b>: received but never attempted — a safety violation;</li>
 *   <li><b>duplicates</b>: values delivered more than once — allowed (at-least-once), counted;</li>
 *   <li><b>recovered</b>: sends of unknown outcome (info) whose value was received;</li>
 *   <li><b>failedButReceived</b>: sends that failed definitively but were received. Not a violation by
 *       itself (the client retries internally, so an earlier attempt may have committed), reported for
 *       investigation.</li>
 * </ul>
 *
 * Lost values are split by position relative to what was received from the same producer (values are
 * {@code p<proc>-<counter>}): below that producer's lowest received counter is <b>lost-prefix</b>, above its
 * highest is <b>lost-postfix</b>, in between is <b>lost-middle</b> (the worst kind: later writes survived,
 * an earlier acknowledged one vanished). If nothing of that producer was received, its lost values count
 * as lost-prefix.
 */
public final class TotalQueueChecker {
    private TotalQueueChecker() {
    }

    public record Result(int attempted, int acked, int infoSends, int failedSends, int receivedDistinct,
                         int deliveries, List<String> lost, List<String> lostPrefix, List<String> lostMiddle,
                         List<String> lostPostfix, List<String> unexpected, int duplicates, int extraDeliveries,
                         List<String> recovered, List<String> failedButReceived) {
        public boolean valid() {
            return lost.isEmpty() && unexpected.isEmpty();
        }

        public String describe() {
            return "attempted=" + attempted + " acked=" + acked + " info-sends=" + infoSends
                    + " failed-sends=" + failedSends + " received=" + receivedDistinct + " deliveries=" + deliveries
                    + " lost=" + lost.size() + " (prefix=" + lostPrefix.size() + " middle=" + lostMiddle.size()
                    + " postfix=" + lostPostfix.size() + ") unexpected=" + unexpected.size()
                    + " duplicates=" + duplicates + " (extra deliveries=" + extraDeliveries + ")"
                    + " recovered=" + recovered.size() + " failed-but-received=" + failedButReceived.size();
        }
    }

    public static Result check(List<Op> history) {
        Set<String> attempted = new HashSet<>();
        Set<String> acked = new HashSet<>();
        Set<String> info = new HashSet<>();
        Set<String> failed = new HashSet<>();
        Map<String, Integer> deliveries = new HashMap<>();
        for (Op op : history) {
            switch (op.f()) {
                case "send" -> {
                    String v = (String) op.value();
                    switch (op.type()) {
                        case Op.INVOKE -> attempted.add(v);
                        case Op.OK -> acked.add(v);
                        case Op.INFO -> info.add(v);
                        case Op.FAIL -> failed.add(v);
                        default -> throw new IllegalArgumentException("unknown op type: " + op);
                    }
                }
                case "receive" -> {
                    if (Op.OK.equals(op.type())) {
                        for (String v : op.values()) deliveries.merge(v, 1, Integer::sum);
                    }
                }
                default -> {
                }
            }
        }
        Comparator<String> order = Comparator.comparingInt((String v) -> proc(v)).thenComparingLong(TotalQueueChecker::counter)
                .thenComparing(Comparator.naturalOrder());
        List<String> lost = acked.stream().filter(v -> !deliveries.containsKey(v)).sorted(order).toList();
        List<String> unexpected = deliveries.keySet().stream().filter(v -> !attempted.contains(v)).sorted(order).toList();
        List<String> recovered = info.stream().filter(deliveries::containsKey).sorted(order).toList();
        List<String> failedButReceived = failed.stream().filter(deliveries::containsKey).sorted(order).toList();
        int duplicates = 0;
        int extra = 0;
        int total = 0;
        for (int n : deliveries.values()) {
            total += n;
            if (n > 1) {
                duplicates++;
                extra += n - 1;
            }
        }
        // Lost by position, per producer.
        Map<Integer, TreeSet<Long>> readByProc = new HashMap<>();
        for (String v : deliveries.keySet()) {
            if (attempted.contains(v) && proc(v) >= 0) readByProc.computeIfAbsent(proc(v), k -> new TreeSet<>()).add(counter(v));
        }
        List<String> prefix = new ArrayList<>();
        List<String> middle = new ArrayList<>();
        List<String> postfix = new ArrayList<>();
        for (String v : lost) {
            TreeSet<Long> read = readByProc.get(proc(v));
            long c = counter(v);
            if (read == null || c < read.first()) prefix.add(v);
            else if (c > read.last()) postfix.add(v);
            else middle.add(v);
        }
        return new Result(attempted.size(), acked.size(), info.size(), failed.size(), deliveries.size(), total,
                lost, List.copyOf(prefix), List.copyOf(middle), List.copyOf(postfix), unexpected, duplicates, extra,
                recovered, failedButReceived);
    }

    /** The producer number of "p3-17" (3), or -1 if the value is not in that form. */
    static int proc(String v) {
        int dash = v.indexOf('-');
        if (!v.startsWith("p") || dash < 2) return -1;
        try {
            return Integer.parseInt(v.substring(1, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The counter of "p3-17" (17), or -1. */
    static long counter(String v) {
        int dash = v.indexOf('-');
        if (dash < 0) return -1;
        try {
            return Long.parseLong(v.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
