package io.pontoon.core.stream;

import java.math.BigInteger;

/**
 * A shard as the partition hosting it knows it: its identity, hash range, and where its log stands. Sequences are the
 * partition's ({@link SequenceNumbers} formats them).
 *
 * @param uid             the shard's cluster-wide id (the controller allocates it); the key of its records
 * @param startingSeq     the first sequence the shard could hold (the partition's next sequence when it was created)
 * @param closed          closed shards take no more records (split or merged); their records stay readable until trimmed
 * @param endingSeq       when closed: the shard's last sequence number (no record has a larger one), else -1
 * @param lastSeq         the sequence of the newest record, or {@code startingSeq - 1} when it has none
 * @param lastArrivalMs   the arrival time of the newest record, or 0
 * @param trimmedBelowSeq records below this sequence were trimmed by retention (starts at {@code startingSeq})
 */
public record ShardRecord(long uid, String streamName, String shardId, BigInteger startingHashKey, BigInteger endingHashKey,
                          long createdAtMs, long startingSeq, boolean closed, long endingSeq, long lastSeq, long lastArrivalMs,
                          long trimmedBelowSeq) {

    public boolean holds(BigInteger hashKey) {
        return hashKey.compareTo(startingHashKey) >= 0 && hashKey.compareTo(endingHashKey) <= 0;
    }

    public boolean empty() {
        return lastSeq < trimmedBelowSeq;
    }

    ShardRecord withRecords(long newLastSeq, long arrivalMs) {
        return new ShardRecord(uid, streamName, shardId, startingHashKey, endingHashKey, createdAtMs, startingSeq, closed, endingSeq,
                newLastSeq, arrivalMs, trimmedBelowSeq);
    }

    ShardRecord closedAt(long ending) {
        return new ShardRecord(uid, streamName, shardId, startingHashKey, endingHashKey, createdAtMs, startingSeq, true, ending,
                lastSeq, lastArrivalMs, trimmedBelowSeq);
    }

    ShardRecord trimmedBelow(long seq) {
        return new ShardRecord(uid, streamName, shardId, startingHashKey, endingHashKey, createdAtMs, startingSeq, closed, endingSeq,
                lastSeq, lastArrivalMs, seq);
    }
}
