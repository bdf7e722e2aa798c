package io.pontoon.server.queue;

import io.pontoon.server.partition.GroupCommitter;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.MessagePayload;
import io.pontoon.server.queue.LongPollWaiters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No lost wake-ups: a message applied between a parked poll's look at the queue and its registration as a waiter
 * still wakes it. Driven deterministically: the "send" is applied, and signalled, exactly while the poll looks.
 */
class LongPollReceiverTest {
    private static final long RECHECK_MS = 60_000; // a lost wake-up would wait this long (or the whole wait time)
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LongPollWaiters waiters = new LongPollWaiters(timer, 1_000);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** A queue on partition 0 that is empty until {@link #sendArrives}; the first look after a wake-up sees it empty. */
    private final class OnePartition implements LongPollReceiver.Partitions {
        volatile boolean hasMessage;
        final AtomicInteger receivableLooks = new AtomicInteger();

        void sendArrives() {
            hasMessage = true;
            waiters.signal("q"); // what the node does when it applies a send to q
        }

        @Override
        public CompletableFuture<GroupCommitter.Applied<PartitionResult>> submitApplied(int partition, PartitionCommand command) {
            List<QueueResult.ReceivedMessage> taken = hasMessage
                    ? List.of(new QueueResult.ReceivedMessage("m", "h", 1, 1, 1, 0, 0, null, null, null, null)) : List.of();
            return CompletableFuture.completedFuture(new GroupCommitter.Applied<>(7, new QueueResult.Received(1, taken)));
        }

        @Override
        public QueryResult localRead(int partition, QueueQuery query) {
            if (receivableLooks.incrementAndGet() == 1) {
                // The race: the send is applied right after this look saw an empty queue, before the poll re-parks.
                boolean seen = hasMessage;
                sendArrives();
                return new QueueQueryResult.Flag(seen);
            }
            return new QueueQueryResult.Flag(hasMessage);
        }
    }

    @Test
    void aSendAppliedWhileAParkedPollLooksAtTheQueueWakesIt() throws Exception {
        OnePartition partition = new OnePartition();
        LongPollReceiver receiver = new LongPollReceiver(partition, (p, applied, received) -> CompletableFuture.completedFuture(
                new Delivery(received.messages().stream().map(m -> new DeliveredMessage(m, new MessagePayload("x", new TreeMap<>(), null))).toList(),
                        () -> { })), waiters, System::currentTimeMillis, RECHECK_MS, new LongPollReceiver.Expect() {
                    @Override
                    public <T extends PartitionResult> T on(String queue, PartitionResult r, Class<T> type) {
                        return type.cast(r);
                    }
                });
        CompletableFuture<Delivery> poll = receiver.receive(List.of(0), new ReceiveMessages("q", 1, null), 20);
        timer.schedule(() -> waiters.signal("q"), 50, TimeUnit.MILLISECONDS); // a wake-up with nothing new: the poll looks, and races
        long start = System.nanoTime();
        Delivery d = poll.get(5, TimeUnit.SECONDS);
        assertEquals(1, d.messages().size(), "woken by the send that raced its look, not by a timer");
        assertEquals(true, (System.nanoTime() - start) / 1_000_000 < RECHECK_MS);
    }
}
