package io.pontoon.client.bench;

import io.pontoon.api.v1.Message;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks FIFO delivery on the consumer side (whole run, all consumers). Consumers call {@link #check}
 * with each receive's messages before deleting them; a group's next messages can only be received once
 * those are deleted (or their visibility expired), so checks of one group happen in delivery order.
 *
 * <p>For each message of this run (recognised by its {@code MessageDeduplicationId}, see
 * {@link FifoMessages}):
 * <ul>
 *   <li>a (producer, sequence) already received is a <b>duplicate</b> (a redelivery: a failed delete or an
 *       expired visibility timeout) and is not checked further;
 *   <li>otherwise, within its (queue, group), its producer's sequence must be above every sequence of
 *       that producer received before in the group (<b>producer order</b>: gaps are fine, they are failed
 *       sends or messages not yet received), and its {@code SequenceNumber} must be above every one
 *       received before in the group (<b>SequenceNumber order</b>). Each message that breaks either is one
 *       <b>order violation</b>.
 * </ul>
 * Messages of other runs (left in the queue) are counted as foreign and ignored.
 */
final class FifoOrderChecker {
    static final List<String> SYSTEM_ATTRIBUTES = List.of("MessageGroupId", "MessageDeduplicationId", "SequenceNumber");

    /** Figures so far. {@code orderViolations} = producer-order plus SequenceNumber-order violations. */
    record Result(long checked, long duplicates, long producerOrderViolations, long sequenceNumberViolations,
                  long foreign, int groups) {
        long orderViolations() {
            return producerOrderViolations + sequenceNumberViolations;
        }
    }

    private static final class GroupState {
        long lastSequenceNumber = -1;
        final Map<Integer, Long> lastSeqOfProducer = new HashMap<>(4);
    }

    private final String run;
    private final Map<String, GroupState> groups = new HashMap<>();
    private final Map<Integer, BitSet> seenOfProducer = new HashMap<>();
    private long checked, duplicates, producerOrder, sequenceNumberOrder, foreign;

    FifoOrderChecker(String run) {
        this.run = run;
    }

    /** Checks one receive's messages, in the order the receive returned them. */
    synchronized void check(String queue, List<Message> messages) {
        for (Message m : messages) checkOne(queue, m);
    }

    private void checkOne(String queue, Message m) {
        Map<String, String> attrs = m.getAttributesMap();
        FifoMessages.DedupId id = FifoMessages.parseDedupId(attrs.get("MessageDeduplicationId"));
        String group = attrs.get("MessageGroupId");
        if (id == null || !id.run().equals(run) || group == null || id.seq() > Integer.MAX_VALUE) {
            foreign++;
            return;
        }
        BitSet seen = seenOfProducer.computeIfAbsent(id.producer(), p -> new BitSet());
        if (seen.get((int) id.seq())) {
            duplicates++;
            return;
        }
        seen.set((int) id.seq());
        checked++;
        GroupState g = groups.computeIfAbsent(queue + '\u0000' + group, k -> new GroupState());
        Long last = g.lastSeqOfProducer.get(id.producer());
        if (last != null && id.seq() < last) {
            producerOrder++;
        } else {
            g.lastSeqOfProducer.put(id.producer(), id.seq());
        }
        long sn = sequenceNumber(attrs.get("SequenceNumber"));
        if (sn >= 0) {
            if (sn <= g.lastSequenceNumber) sequenceNumberOrder++;
            else g.lastSequenceNumber = sn;
        }
    }

    private static long sequenceNumber(String s) {
        if (s == null || s.isEmpty()) return -1;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    synchronized long orderViolations() {
        return producerOrder + sequenceNumberOrder;
    }

    synchronized Result result() {
        return new Result(checked, duplicates, producerOrder, sequenceNumberOrder, foreign, groups.size());
    }
}
