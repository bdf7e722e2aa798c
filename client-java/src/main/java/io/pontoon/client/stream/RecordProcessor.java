package io.pontoon.client.stream;

import io.pontoon.api.v1.Record;

import java.util.List;

/**
 * The application's code for one shard, as with the Kinesis Client Library: it gets the shard's records in order and
 * checkpoints how far it got; after a failover the shard is resumed after the last checkpoint, so records after it
 * may be processed again (at least once).
 */
public interface RecordProcessor {

    /** The processor starts on {@code shardId}, after {@code checkpoint} (a sequence number, TRIM_HORIZON, or null). */
    default void initialize(String shardId, String checkpoint) {
    }

    void process(List<Record> records, Checkpointer checkpointer) throws Exception;

    /** Every record of the (closed) shard was processed; the library checkpoints SHARD_END after this returns. */
    default void shardEnded(Checkpointer checkpointer) {
    }

    /** Another worker took the shard, or this worker is shutting down: stop, and do not checkpoint. */
    default void leaseLost() {
    }

    /** Records how far the processor got, in the shard's lease. */
    interface Checkpointer {
        /** Checkpoints at {@code sequenceNumber}: a later owner resumes after it. */
        void checkpoint(String sequenceNumber);

        /** Checkpoints at the last record handed to {@link #process}. */
        void checkpoint();
    }
}
