package io.pontoon.core.partition;

import io.pontoon.core.Limits;
import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.partition.PartitionStore;
import io.pontoon.core.partition.StoreTxn;

import java.util.List;

/**
 * What every replicated state machine does around one log entry, so it is written once:
 * skip an index already applied (restart replay), refuse an oversized entry, compute
 * {@code effectiveNow = max(leaderTime, last effectiveNow)} so time never runs backwards, and apply the
 * commands in one storage transaction committed together with the new applied position.
 */
public final class EntryFrame {
    private EntryFrame() {
    }

    /** The commands of one entry, applied inside its transaction. */
    public interface Body<R> {
        Applied<R> apply(StoreTxn txn, PartitionMeta before, long effectiveNowMs);
    }

    /** The per-command results and the sequence counter after the entry. */
    public record Applied<R>(List<R> results, long nextSeq) {
    }

    /** Applies one entry; returns an empty list for an index at or below the applied index. */
    public static <R> List<R> apply(PartitionStore store, int commandCount, long index, long term, long leaderTimeMs, Body<R> body) {
        PartitionMeta meta = store.meta();
        if (index <= meta.appliedIndex()) {
            return List.of();
        }
        if (commandCount > Limits.MAX_COMMANDS_PER_ENTRY) {
            throw new IllegalArgumentException(commandCount + " commands exceed " + Limits.MAX_COMMANDS_PER_ENTRY + " per log entry");
        }
        long now = Math.max(leaderTimeMs, meta.effectiveNowMs());
        try (StoreTxn txn = store.begin()) {
            Applied<R> applied = body.apply(txn, meta, now);
            txn.commit(new PartitionMeta(index, term, now, applied.nextSeq()));
            return applied.results();
        }
    }
}
