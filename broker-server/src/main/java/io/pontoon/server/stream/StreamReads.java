package io.pontoon.server.stream;

import io.pontoon.api.v1.ChildShard;
import io.pontoon.api.v1.GetRecordsResponse;
import io.pontoon.api.v1.HashKeyRange;
import io.pontoon.api.v1.Record;
import io.pontoon.core.Limits;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.stream.SequenceNumbers;
import io.pontoon.core.stream.ShardRecord;
import io.pontoon.core.stream.StoredRecord;
import io.pontoon.core.stream.StreamQueryResult;
import io.pontoon.server.partition.ByteBudget;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * GetShardIterator and GetRecords. Iterators are tokens ({@link ShardIterators}); records are read from this node's
 * replica of the shard's partition ({@link ShardReader}), within the node's response budget: a read reserves up to
 * 10 MiB before it reads, gives back what it did not use at once, and the rest when the response is sent.
 */
final class StreamReads {
    private final StreamTopologies topologies;
    private final ShardReader reader;
    private final ShardLimits limits;
    private final ByteBudget responses;
    private final ScheduledExecutorService timer;
    private final long budgetWaitMs;
    private final LongSupplier clockMs;
    private final java.util.concurrent.Executor executor;

    StreamReads(StreamTopologies topologies, ShardReader reader, ShardLimits limits, ByteBudget responses, ScheduledExecutorService timer,
                long budgetWaitMs, LongSupplier clockMs, java.util.concurrent.Executor executor) {
        this.executor = executor;
        this.topologies = topologies;
        this.reader = reader;
        this.limits = limits;
        this.responses = responses;
        this.timer = timer;
        this.budgetWaitMs = budgetWaitMs;
        this.clockMs = clockMs;
    }

    /** Where a reader starts in a shard (GetShardIterator, SubscribeToShard): the next sequence to read. */
    static long startingSeq(ShardReader reader, ShardInfo shard, String type, String sequenceNumber, Long timestampMs) {
        ShardRecord s = reader.state(shard);
        return switch (type == null ? "" : type) {
            case "TRIM_HORIZON" -> s.trimmedBelowSeq();
            case "LATEST" -> s.lastSeq() + 1;
            case "AT_SEQUENCE_NUMBER" -> Math.max(inShard(s, sequenceNumber, 0), s.trimmedBelowSeq());
            // a continuation number of an event before the shard's first record is its starting sequence minus one
            case "AFTER_SEQUENCE_NUMBER" -> Math.max(inShard(s, sequenceNumber, 1) + 1, s.trimmedBelowSeq());
            case "AT_TIMESTAMP" -> {
                if (timestampMs == null) {
                    throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Timestamp is required for AT_TIMESTAMP.");
                }
                yield Math.max(reader.seqAt(shard, timestampMs), s.trimmedBelowSeq());
            }
            default -> throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "ShardIteratorType must be AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, "
                    + "AT_TIMESTAMP, TRIM_HORIZON or LATEST, got '" + (type == null ? "" : type) + "'.");
        };
    }

    /** A sequence number given for this shard: one Pontoon issued, within the shard's range ({@code slack} below its start). */
    private static long inShard(ShardRecord s, String sequenceNumber, int slack) {
        if (sequenceNumber == null || sequenceNumber.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "StartingSequenceNumber is required for this iterator type.");
        }
        long seq = SequenceNumbers.parse(sequenceNumber, "StartingSequenceNumber");
        if (seq < s.startingSeq() - slack || (s.closed() && seq > s.endingSeq())) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "StartingSequenceNumber " + sequenceNumber + " used in GetShardIterator on shard "
                    + s.shardId() + " in stream " + s.streamName() + " is not in the shard's range.");
        }
        return seq;
    }

    CompletableFuture<String> shardIterator(String stream, String shardId, String type, String sequenceNumber, Long timestampMs) {
        StreamValidatorCalls.shardId(shardId);
        return topologies.get(stream, t -> t.shard(shardId).isPresent()).thenApply(t -> {
            ShardInfo shard = readable(t, shardId);
            long seq = startingSeq(reader, shard, type, sequenceNumber, timestampMs);
            return ShardIterators.encode(new ShardIterators.Position(t.name(), shard.shardId(), shard.uid(), seq, clockMs.getAsLong()));
        });
    }

    /** The response and the bytes it holds of the node's response budget; {@link #release} gives them back once sent. */
    record Read(GetRecordsResponse response, long reservedBytes) {
    }

    CompletableFuture<Read> getRecords(String iterator, Integer limit) {
        long now = clockMs.getAsLong();
        ShardIterators.Position p = ShardIterators.decode(iterator, now);
        int max = limit == null ? Limits.MAX_GET_RECORDS_LIMIT : limit;
        if (max < 1 || max > Limits.MAX_GET_RECORDS_LIMIT) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Limit must be 1 to " + Limits.MAX_GET_RECORDS_LIMIT + ", got " + max + ".");
        }
        return topologies.get(p.streamName(), t -> t.shard(p.shardId()).filter(s -> s.uid() == p.uid()).isPresent()).thenCompose(t -> {
            ShardInfo shard = t.shard(p.shardId()).filter(s -> s.uid() == p.uid())
                    .orElseThrow(() -> new BrokerException(ErrorCode.RESOURCE_NOT_FOUND, "Shard " + p.shardId() + " of stream " + p.streamName()
                            + " no longer exists."));
            if (t.enforceLimits()) {
                limits.read(shard.uid(), now);
            }
            long reserve = Limits.MAX_GET_RECORDS_BYTES;
            // The read runs on the read executor, never on the thread that happened to give budget back.
            return responses.acquire(reserve, budgetWaitMs, timer).thenApplyAsync(v -> {
                long held = reserve;
                try {
                    StreamQueryResult.Records r = reader.records(shard, p.nextSeq(), max, reserve);
                    long used = r.records().stream().mapToLong(StoredRecord::weight).sum();
                    responses.release(reserve - used);
                    held = used;
                    if (t.enforceLimits()) {
                        limits.readBytes(shard.uid(), used);
                    }
                    return new Read(response(t, shard, r, now), used);
                } catch (RuntimeException e) {
                    responses.release(held);
                    throw e;
                }
            }, executor);
        });
    }

    /** The freshest topology this node has without a round trip (a shard's children appear while it closes). */
    private StreamTopology current(StreamTopology cached) {
        try {
            StreamTopology local = topologies.local(cached.name());
            return local.step() >= cached.step() ? local : cached;
        } catch (RuntimeException e) {
            return cached;
        }
    }

    void release(Read read) {
        responses.release(read.reservedBytes());
    }

    private GetRecordsResponse response(StreamTopology t, ShardInfo shard, StreamQueryResult.Records r, long now) {
        GetRecordsResponse.Builder b = GetRecordsResponse.newBuilder();
        r.records().forEach(rec -> b.addRecords(record(rec)));
        b.setMillisBehindLatest(millisBehind(r, now));
        if (r.atShardEnd()) {
            b.addAllChildShards(childShards(current(t), shard.shardId()));
        } else {
            b.setNextShardIterator(ShardIterators.encode(new ShardIterators.Position(t.name(), shard.shardId(), shard.uid(), r.nextSeq(), now)));
        }
        return b.build();
    }

    static Record record(StoredRecord rec) {
        return Record.newBuilder().setSequenceNumber(SequenceNumbers.format(rec.seq())).setApproximateArrivalTimestampMs(rec.arrivalMs())
                .setData(com.google.protobuf.ByteString.copyFrom(rec.data())).setPartitionKey(rec.partitionKey()).setEncryptionType("NONE").build();
    }

    /** 0 when the read reached the newest record; else how long ago the last record returned arrived. */
    static long millisBehind(StreamQueryResult.Records r, long now) {
        if (r.nextSeq() > r.shard().lastSeq() || r.records().isEmpty()) {
            return 0;
        }
        return Math.max(0, now - r.records().get(r.records().size() - 1).arrivalMs());
    }

    static List<ChildShard> childShards(StreamTopology t, String parent) {
        return t.children(parent).stream().map(c -> {
            ChildShard.Builder b = ChildShard.newBuilder().setShardId(c.shardId())
                    .setHashKeyRange(HashKeyRange.newBuilder().setStartingHashKey(c.startingHashKey().toString()).setEndingHashKey(c.endingHashKey().toString()));
            if (c.parentShardId() != null) {
                b.addParentShards(c.parentShardId());
            }
            if (c.adjacentParentShardId() != null) {
                b.addParentShards(c.adjacentParentShardId());
            }
            return b.build();
        }).toList();
    }

    /** A shard a reader may read: any of the stream's shards whose creation has been carried out. */
    static ShardInfo readable(StreamTopology t, String shardId) {
        StreamValidatorCalls.shardId(shardId);
        return t.shard(shardId).orElseThrow(() -> new BrokerException(ErrorCode.RESOURCE_NOT_FOUND, "Shard " + shardId + " in stream "
                + t.name() + " under account 000000000000 does not exist."));
    }
}
