package io.pontoon.server.redgate;

import io.pontoon.core.command.PartitionCommand.SendMessages;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.validation.RequestValidator;
import io.pontoon.server.grpc.SqsService;

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
    public CompletableFuture<PartitionResult.Sent> send(SendMessages send) {
        long n = sends.incrementAndGet();
        if (n % 50 != 0) {
            return real.send(send);
        }
        RequestValidator.sendMessages(send);
        return CompletableFuture.completedFuture(new PartitionResult.Sent(send.entries().stream()
                .map(e -> new PartitionResult.SendSuccess(e.id(), "seeded-bug-" + n)).toList(), List.of()));
    }
}
