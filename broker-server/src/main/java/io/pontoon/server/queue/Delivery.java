package io.pontoon.server.queue;

import io.pontoon.core.queue.DeliveredMessage;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The messages one ReceiveMessage returns, with their content, holding their bytes in the node's response budget
 * until the answer has been handed to the transport: {@link #close()} gives them back (once, whoever calls it).
 */
public final class Delivery implements AutoCloseable {
    public static final Delivery EMPTY = new Delivery(List.of(), () -> { });

    private final List<DeliveredMessage> messages;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    Delivery(List<DeliveredMessage> messages, Runnable release) {
        this.messages = List.copyOf(messages);
        this.release = release;
    }

    public List<DeliveredMessage> messages() {
        return messages;
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
