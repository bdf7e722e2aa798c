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
 *       where that delete came from the consumer holding its latest delivery (so its receipt handle was
 *       current and the delete really removed it). A delete with a stale handle succeeds without deleting
 *       (AWS), so it does not count; nor does one made while a receive of unknown outcome was in flight
 *       (it may have taken the message under a receipt nobody saw, making the handle stale).</li>
 * </ul>
 * Times are the harness's monotonic clock; the nodes share one host clock here, so the clock bound only
 * covers scheduling noise.
 */
public final class LeaseChecker {
    private LeaseChecker() {
    }

    public record Result(int deliveries, List<String> overlaps, List<String> afterDelete) {
        public boolean valid() {
            return overlaps.isEmpty() && afterDelete.isEmpty();
        }

        public String describe() {
            return "leases: deliveries=" + deliveries + " overlaps=" + overlaps.size() + " redelivered-after-delete=" + afterDelete.size();
        }
    }

    private record Delivery(String process, long invokeNs, long okNs) {
    }

    /** When a receive whose outcome the client never learned was in flight: it may have delivered unseen. */
    private record Unknown(long fromNs, long toNs) {
    }

    private static List<Unknown> unknownReceives(List<Op> history) {
        Map<String, Long> invokedAt = new HashMap<>();
        List<Unknown> out = new ArrayList<>();
        for (Op op : history) {
            if (!"receive".equals(op.f())) continue;
            if (Op.INVOKE.equals(op.type())) {
                invokedAt.put(op.process(), op.time());
            } else if (Op.INFO.equals(op.type())) {
                out.add(new Unknown(invokedAt.getOrDefault(op.process(), 0L), op.time()));
            }
        }
        return out;
    }

    public static Result check(List<Op> history, long visibilityMs, long clockBoundMs) {
        List<Unknown> unknown = unknownReceives(history);
        long leaseNs = TimeUnit.MILLISECONDS.toNanos(visibilityMs - clockBoundMs);
        Map<String, Long> receiveInvokedAt = new HashMap<>();
        Map<String, Delivery> latest = new HashMap<>();
        Map<String, String> heldMessage = new HashMap<>(); // process + value -> the message it last received
        Map<String, Long> deletedAt = new HashMap<>();
        List<String> overlaps = new ArrayList<>();
        List<String> afterDelete = new ArrayList<>();
        int deliveries = 0;
        for (Op op : history) {
            if ("receive".equals(op.f()) && Op.INVOKE.equals(op.type())) {
                receiveInvokedAt.put(op.process(), op.time());
            } else if ("deliveries".equals(op.f()) && Op.OK.equals(op.type())) {
                long invoked = receiveInvokedAt.getOrDefault(op.process(), op.time());
                for (String d : op.values()) {
                    deliveries++;
                    String[] parts = d.split("\\|", 3);
                    String value = parts[0], message = parts[1];
                    Delivery previous = latest.get(message);
                    if (previous != null && op.time() < previous.invokeNs() + leaseNs) {
                        overlaps.add(value + " (" + message + "): delivered to " + op.process() + " " + ms(op.time() - previous.invokeNs())
                                + " ms after " + previous.process() + "'s receive began (lease " + visibilityMs + " ms)");
                    }
                    Long deleted = deletedAt.get(message);
                    if (deleted != null && invoked > deleted) {
                        afterDelete.add(value + " (" + message + "): delivered to " + op.process() + " by a receive begun "
                                + ms(invoked - deleted) + " ms after its delete completed");
                    }
                    latest.put(message, new Delivery(op.process(), invoked, op.time()));
                    heldMessage.put(op.process() + "\u0000" + value, message);
                }
            } else if ("delete".equals(op.f()) && Op.OK.equals(op.type())) {
                for (String value : op.values()) {
                    String message = heldMessage.get(op.process() + "\u0000" + value);
                    Delivery holder = message == null ? null : latest.get(message);
                    if (holder != null && holder.process().equals(op.process()) && !overlaps(unknown, holder.okNs(), op.time())) {
                        deletedAt.putIfAbsent(message, op.time());
                    }
                }
            }
        }
        return new Result(deliveries, overlaps, afterDelete);
    }

    private static boolean overlaps(List<Unknown> unknown, long fromNs, long toNs) {
        for (Unknown u : unknown) {
            if (u.fromNs() < toNs && u.toNs() > fromNs) return true;
        }
        return false;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
