package io.pontoon.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FIFO checks of workload W-F, on top of {@link TotalQueueChecker} (which already finds lost and
 * unexpected values). Producer {@code p<i>} owns message group {@code g<i>} and sends {@code p<i>-0, 1, ...},
 * each with its value as MessageDeduplicationId, retrying a send of unknown outcome with the same id before
 * going on. Consumers record every delivery as {@code value|messageId|sequenceNumber} (op {@code deliveries}).
 *
 * <ul>
 *   <li><b>order violations</b>: within a group, a value delivered for the first time after a value with a
 *       higher counter was already delivered, or with a SequenceNumber not above the previous first
 *       delivery's. (Redeliveries of a message whose visibility timeout ran out are not first deliveries.)</li>
 *   <li><b>dedup violations</b>: one value under two different MessageIds: a retried send within the
 *       5-minute window was stored twice.</li>
 * </ul>
 */
public final class FifoChecker {
    private FifoChecker() {
    }

    public record Result(int deliveries, int groups, List<String> orderViolations, List<String> dedupViolations) {
        public boolean valid() {
            return orderViolations.isEmpty() && dedupViolations.isEmpty();
        }

        public String describe() {
            return "fifo: deliveries=" + deliveries + " groups=" + groups + " order-violations=" + orderViolations.size()
                    + " dedup-violations=" + dedupViolations.size();
        }
    }

    private record Last(long counter, String sequence) {
    }

    public static Result check(List<Op> history) {
        Map<String, String> messageIdOf = new HashMap<>();
        Map<String, Last> lastFirstDelivery = new HashMap<>();
        List<String> order = new ArrayList<>();
        List<String> dedup = new ArrayList<>();
        int deliveries = 0;
        for (Op op : history) {
            if (!"deliveries".equals(op.f()) || !Op.OK.equals(op.type())) continue;
            for (String d : op.values()) {
                deliveries++;
                Delivered delivered = Delivered.parse(d);
                String value = delivered.value(), messageId = delivered.messageId(), sequence = delivered.sequence();
                String previousId = messageIdOf.putIfAbsent(value, messageId);
                if (previousId != null) {
                    if (!previousId.equals(messageId)) {
                        dedup.add(value + " stored twice: " + previousId + " and " + messageId);
                    }
                    continue; // a redelivery (or a duplicate, reported above): not a first delivery
                }
                String group = value.substring(0, value.indexOf('-'));
                long counter = Long.parseLong(value.substring(value.indexOf('-') + 1));
                Last last = lastFirstDelivery.get(group);
                if (last != null && (counter < last.counter() || sequence.compareTo(last.sequence()) <= 0)) {
                    order.add(value + " (seq " + sequence + ") delivered first after counter " + last.counter()
                            + " (seq " + last.sequence() + ") of the same group");
                }
                if (last == null || counter > last.counter()) {
                    lastFirstDelivery.put(group, new Last(counter, sequence));
                }
            }
        }
        return new Result(deliveries, lastFirstDelivery.size(), order, dedup);
    }
}
