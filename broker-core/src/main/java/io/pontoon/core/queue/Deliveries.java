package io.pontoon.core.queue;

import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.partition.StoreView;

import java.util.ArrayList;
import java.util.List;

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
        List<DeliveredMessage> out = new ArrayList<>(received.messages().size());
        for (QueueResult.ReceivedMessage m : received.messages()) {
            view.payload(received.queueId(), m.seq()).ifPresent(p -> out.add(new DeliveredMessage(m, p)));
        }
        return out;
    }
}
