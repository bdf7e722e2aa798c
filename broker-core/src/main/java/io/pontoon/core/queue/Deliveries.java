package io.pontoon.core.queue;

import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.partition.StoreView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Assembles what a client receives: the messages a receive took ({@link QueueResult.Received}, from the log)
 * with their content, read from a replica's applied state that includes the receive. Content never changes, so
 * any such state will do; a message deleted since (a purge, retention, a delete by its next holder after a 0 s
 * visibility timeout) is left out, as if its delivery had been lost: it was received, and at-least-once holds.
 */
public final class Deliveries {
    private Deliveries() {
    }

    public static List<DeliveredMessage> read(StoreView view, QueueResult.Received received) {
        return assemble(received, payloads(view, received.queueId(), received.messages().stream().map(QueueResult.ReceivedMessage::seq).toList()));
    }

    /** The content of the messages {@code seqs} of queue {@code queueId} that still exist, by seq. */
    public static SortedMap<Long, MessagePayload> payloads(StoreView view, long queueId, List<Long> seqs) {
        SortedMap<Long, MessagePayload> out = new TreeMap<>();
        for (long seq : seqs) {
            view.payload(queueId, seq).ifPresent(p -> out.put(seq, p));
        }
        return out;
    }

    /** The receive's messages in its order, each with its content; those without content are left out. */
    public static List<DeliveredMessage> assemble(QueueResult.Received received, Map<Long, MessagePayload> payloads) {
        List<DeliveredMessage> out = new ArrayList<>(received.messages().size());
        for (QueueResult.ReceivedMessage m : received.messages()) {
            MessagePayload p = payloads.get(m.seq());
            if (p != null) {
                out.add(new DeliveredMessage(m, p));
            }
        }
        return out;
    }

    /**
     * The receive's seqs in groups whose content (with {@link io.pontoon.core.Limits#DELIVERY_OVERHEAD_BYTES} each)
     * stays within {@code maxBytes}, for reads that must fit one reply; a message larger than that goes alone.
     */
    public static List<List<Long>> readGroups(QueueResult.Received received, long maxBytes) {
        List<List<Long>> groups = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        long bytes = 0;
        for (QueueResult.ReceivedMessage m : received.messages()) {
            long weight = (long) m.payloadBytes() + io.pontoon.core.Limits.DELIVERY_OVERHEAD_BYTES;
            if (!current.isEmpty() && bytes + weight > maxBytes) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(m.seq());
            bytes += weight;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }
}
