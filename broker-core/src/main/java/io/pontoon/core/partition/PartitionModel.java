package io.pontoon.core.partition;

/**
 * One messaging model's share of a partition's state machine. The partition state machine hands each command to
 * its model, each Tick to every model, and each query to the query's model.
 */
public interface PartitionModel {

    Model model();

    /** The model's applier for one log entry (models may keep per-entry state, e.g. groups to reindex). */
    EntryApplier begin(EntryContext ctx);

    /** Answers a read-only query from a consistent view at {@code nowMs} (the caller's notion of now). */
    QueryResult query(StoreView view, PartitionQuery query, long nowMs);

    /** Applies the commands of one model within one log entry. */
    interface EntryApplier {
        /** Validates (before any write: a command that skipped the server's checks becomes an Error) and applies. */
        PartitionResult apply(PartitionCommand command);

        /** The model's share of a Tick; returns the number of items that expired. */
        int tick();

        /** Called after every command of the entry, whatever its model. */
        default void afterCommand() {
        }
    }
}
