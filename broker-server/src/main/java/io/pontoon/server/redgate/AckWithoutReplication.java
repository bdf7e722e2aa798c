package io.pontoon.server.redgate;

import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.queue.QueueValidator;
import io.pontoon.server.queue.SqsService;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos harness's red gate ({@code test.seeded.bug=ack-without-replication}): every 50th send is acknowledged
 * without being replicated, so it is lost, and the harness must catch it. Installed in front of the real send path
 * only when the setting asks for it, so a normal node has no branch, no counter and no cost for it.
 */
public final class AckWithoutReplication implements SqsService.Sends {
    private final SqsService.Sends real;
    private final AtomicLong sends = new AtomicLong();

    public AckWithoutReplication(SqsService.Sends real) {
        this.real = real;
    }

    @Override
    public CompletableFuture<QueueResult.Sent> send(SendMessages send) {
        long n = sends.incrementAndGet();
        if (n % 50 != 0) {
            return real.send(send);
        }
        QueueValidator.sendMessages(send);
        return CompletableFuture.completedFuture(new QueueResult.Sent(send.entries().stream()
                .map(e -> new QueueResult.SendSuccess(e.id(), "seeded-bug-" + n)).toList(), List.of()));
    }
}
