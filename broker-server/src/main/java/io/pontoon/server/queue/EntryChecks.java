package io.pontoon.server.queue;

import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.DeleteMessages;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.queue.QueueResult.BatchOutcome;
import io.pontoon.core.queue.QueueResult.EntryFailure;
import io.pontoon.core.queue.QueueResult.Sent;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * AWS batch semantics before replication: a batch that breaks a batch rule (no entries, more than 10, ids not
 * distinct or invalid, too large in all) fails as a whole; otherwise each entry that breaks a rule of its own is
 * answered in {@code Failed} and only the others are replicated. Apply checks the same entry rules again, so an
 * entry is refused alike whichever node saw it first.
 *
 * @param <C> the batch command
 * @param valid   the command with the entries that passed, or null if none did (nothing to replicate)
 * @param refused the entries' failures, in request order
 */
record EntryChecks<C>(C valid, List<EntryFailure> refused) {

    static EntryChecks<SendMessages> send(SendMessages send) {
        QueueValidator.sendBatch(send);
        boolean fifo = QueueAttributes.isFifoName(send.queueName());
        return split(send.entries(), e -> QueueValidator.sendEntryRefusal(e, fifo),
                entries -> new SendMessages(send.queueName(), entries));
    }

    static EntryChecks<DeleteMessages> delete(DeleteMessages delete) {
        QueueValidator.validate(delete);
        return split(delete.entries(), QueueValidator::deleteEntryRefusal, entries -> new DeleteMessages(delete.queueName(), entries));
    }

    static EntryChecks<ChangeMessageVisibility> visibility(ChangeMessageVisibility change) {
        QueueValidator.validate(change);
        return split(change.entries(), QueueValidator::visibilityEntryRefusal,
                entries -> new ChangeMessageVisibility(change.queueName(), entries));
    }

    /** The refused entries first, then the outcome of the replicated ones. */
    Sent merge(Sent replicated) {
        return new Sent(replicated.successful(), concat(refused, replicated.failed()));
    }

    BatchOutcome merge(BatchOutcome replicated) {
        return new BatchOutcome(replicated.successfulIds(), concat(refused, replicated.failed()));
    }

    private static <E, C> EntryChecks<C> split(List<E> entries, Function<E, EntryFailure> refusal, Function<List<E>, C> command) {
        List<E> ok = new ArrayList<>();
        List<EntryFailure> refused = new ArrayList<>();
        for (E e : entries) {
            EntryFailure f = refusal.apply(e);
            if (f == null) {
                ok.add(e);
            } else {
                refused.add(f);
            }
        }
        return new EntryChecks<>(ok.isEmpty() ? null : command.apply(ok), refused);
    }

    private static List<EntryFailure> concat(List<EntryFailure> a, List<EntryFailure> b) {
        List<EntryFailure> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
