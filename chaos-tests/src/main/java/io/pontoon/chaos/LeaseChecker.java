package io.pontoon.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Visibility leases, as the clients saw them, per message (MessageId, from the {@code deliveries} ops: one
 * value may be stored as two messages when a send is retried, and those are separate leases). A receive
 * grants each message it returns a lease of the visibility timeout, starting when the leader applied the
 * receive, which is no earlier than the client invoked it. So:
 *
 * <ul>
 *   <li><b>overlap</b>: a delivery of a message that completed before the previous delivery's lease could
 *       have ended ({@code previous invoke + visibility timeout - clock bound}) — two consumers held the
 *       same message at once;</li>
 *   <li><b>after delete</b>: a delivery of a message, by a receive invoked after a delete of it completed,
 *       where that delete came from the consumer holding its latest delivery and completed inside that
 *       holder's lease. Only then was its receipt handle surely current, so the delete really removed the
 *       message. A later delete proves nothing: once the lease ran out, another receive may have taken the
 *       message under a receipt nobody saw (a timed-out receive committed later by a new leader, or an earlier
 *       attempt of a receive the client retried and then saw succeed), and a delete with that stale handle
 *       succeeds without deleting (AWS).</li>
 *   <li><b>receive count backwards</b>: a delivery by a receive invoked after an earlier delivery of the message
 *       completed, whose ApproximateReceiveCount is not above that one's (state rolled back: a lost write).</li>
 * </ul>
 * Times are the harness's monotonic clock; the nodes share one host clock here, so the clock bound only
 * covers scheduling noise.
 */
public final class LeaseChecker {
    private LeaseChecker() {
    }

    /** {@code checkedDeletes}: deletes known to have removed their message (inside the lease), each a check of redelivery. */
    public record Result(int deliveries, int checkedDeletes, List<String> overlaps, List<String> afterDelete, List<String> countBackwards) {
        public boolean valid() {
            return overlaps.isEmpty() && afterDelete.isEmpty() && countBackwards.isEmpty();
        }

        public String describe() {
            return "leases: deliveries=" + deliveries + " checked-deletes=" + checkedDeletes + " overlaps=" + overlaps.size()
                    + " redelivered-after-delete=" + afterDelete.size()
                    + " receive-count-backwards=" + countBackwards.size();
        }
    }

    private record Delivery(String process, long invokeNs, long okNs, int receiveCount) {
    }

    public static Result check(List<Op> history, long visibilityMs, long clockBoundMs) {
        long leaseNs = TimeUnit.MILLISECONDS.toNanos(visibilityMs - clockBoundMs);
        Map<String, Long> receiveInvokedAt = new HashMap<>();
        Map<String, Delivery> latest = new HashMap<>();
        Map<String, String> heldMessage = new HashMap<>(); // process + value -> the message it last received
        Map<String, Long> deletedAt = new HashMap<>();
        List<String> overlaps = new ArrayList<>();
        List<String> afterDelete = new ArrayList<>();
        List<String> countBackwards = new ArrayList<>();
        int deliveries = 0;
        int checkedDeletes = 0;
        for (Op op : history) {
            if ("receive".equals(op.f()) && Op.INVOKE.equals(op.type())) {
                receiveInvokedAt.put(op.process(), op.time());
            } else if ("deliveries".equals(op.f()) && Op.OK.equals(op.type())) {
                long invoked = receiveInvokedAt.getOrDefault(op.process(), op.time());
                for (String d : op.values()) {
                    deliveries++;
                    Delivered delivered = Delivered.parse(d);
                    String value = delivered.value(), message = delivered.messageId();
                    Delivery previous = latest.get(message);
                    if (previous != null && invoked > previous.okNs() && delivered.receiveCount() >= 0
                            && previous.receiveCount() >= 0 && delivered.receiveCount() <= previous.receiveCount()) {
                        countBackwards.add(value + " (" + message + "): receive count " + delivered.receiveCount() + " for " + op.process()
                                + " after " + previous.receiveCount() + " for " + previous.process());
                    }
                    if (previous != null && op.time() < previous.invokeNs() + leaseNs) {
                        overlaps.add(value + " (" + message + "): delivered to " + op.process() + " " + ms(op.time() - previous.invokeNs())
                                + " ms after " + previous.process() + "'s receive began (lease " + visibilityMs + " ms)");
                    }
                    Long deleted = deletedAt.get(message);
                    if (deleted != null && invoked > deleted) {
                        afterDelete.add(value + " (" + message + "): delivered to " + op.process() + " by a receive begun "
                                + ms(invoked - deleted) + " ms after its delete completed");
                    }
                    latest.put(message, new Delivery(op.process(), invoked, op.time(), delivered.receiveCount()));
                    heldMessage.put(op.process() + "\u0000" + value, message);
                }
            } else if ("delete".equals(op.f()) && Op.OK.equals(op.type())) {
                for (String value : op.values()) {
                    String message = heldMessage.get(op.process() + "\u0000" + value);
                    Delivery holder = message == null ? null : latest.get(message);
                    boolean withinLease = holder != null && op.time() < holder.invokeNs() + leaseNs;
                    if (holder != null && holder.process().equals(op.process()) && withinLease) {
                        if (deletedAt.putIfAbsent(message, op.time()) == null) checkedDeletes++;
                    }
                }
            }
        }
        return new Result(deliveries, checkedDeletes, overlaps, afterDelete, countBackwards);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
