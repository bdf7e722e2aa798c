package io.pontoon.server.stream;

import io.pontoon.core.Limits;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.core.stream.SequenceNumbers;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.core.stream.StreamCommand.RecordEntry;
import io.pontoon.core.stream.StreamResult;
import io.pontoon.core.stream.StreamValidator;
import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.server.partition.ThrottledException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * PutRecord and PutRecords: each record goes to the shard whose hash key range holds MD5(partition key) (or the
 * explicit hash key), each shard's records to its partition as commands of at most ~1 MiB (a PutRecords of 5 MiB
 * spans several log entries; AWS does not promise order within one call either). A record that meets a shard closed
 * by a reshard step is sent on to the child that now holds its hash key; a shard over its rate, or a node over its
 * request budget, fails just its records (ProvisionedThroughputExceededException), never the whole call.
 */
final class StreamPuts {
    /** How many times a record follows a closed shard to its child before it is answered InternalFailure. */
    private static final int MAX_REROUTES = 3;

    private final StreamTopologies topologies;
    private final PartitionAccess partitions;
    private final ShardLimits limits;
    private final LongSupplier clockMs;

    StreamPuts(StreamTopologies topologies, PartitionAccess partitions, ShardLimits limits, LongSupplier clockMs) {
        this.topologies = topologies;
        this.partitions = partitions;
        this.limits = limits;
        this.clockMs = clockMs;
    }

    /** A record to put. */
    record Entry(String partitionKey, byte[] data, String explicitHashKey) {
        /** What Kinesis counts against its limits: the data and the partition key's UTF-8 bytes. */
        long bytes() {
            return data.length + (long) io.pontoon.core.codec.Utf8.length(partitionKey);
        }
    }

    /** Each record's outcome, in request order: a sequence number and shard, or an error code and message. */
    record Outcome(String shardId, String sequenceNumber, ErrorCode error, String errorMessage) {
        static Outcome failed(ErrorCode code, String message) {
            return new Outcome(null, null, code, message);
        }
    }

    CompletableFuture<List<Outcome>> put(String stream, List<Entry> entries) {
        return put(stream, entries, -1);
    }

    /**
     * Validates the whole request first (batch rules, then each record); a violation fails the call with its code.
     *
     * @param minSeq the records' sequences must exceed it (PutRecord's SequenceNumberForOrdering), or -1
     */
    CompletableFuture<List<Outcome>> put(String stream, List<Entry> entries, long minSeq) {
        if (entries.isEmpty() || entries.size() > Limits.MAX_PUT_RECORDS_ENTRIES) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Records must hold 1 to " + Limits.MAX_PUT_RECORDS_ENTRIES + " records, got "
                    + entries.size() + ".");
        }
        long total = 0;
        List<BigInteger> keys = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            StreamValidator.record(e.partitionKey(), e.data());
            total += e.bytes();
            keys.add(e.explicitHashKey() == null || e.explicitHashKey().isEmpty() ? HashKeys.ofPartitionKey(e.partitionKey())
                    : HashKeys.parseExplicit(e.explicitHashKey()));
        }
        if (total > Limits.MAX_PUT_RECORDS_BYTES) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "A PutRecords request holds at most " + Limits.MAX_PUT_RECORDS_BYTES
                    + " bytes of data and partition keys, got " + total + ".");
        }
        Outcome[] outcomes = new Outcome[entries.size()];
        List<Integer> all = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            all.add(i);
        }
        return topologies.get(stream).thenCompose(t -> {
            requireWritable(t);
            return route(t, entries, keys, all, outcomes, null, minSeq, 0);
        }).thenApply(v -> List.of(outcomes));
    }

    /**
     * Sends {@code indexes} to their shards in {@code t} ({@code closedParent} set: to the children of that closed shard),
     * filling {@code outcomes}.
     */
    private CompletableFuture<Void> route(StreamTopology t, List<Entry> entries, List<BigInteger> keys, List<Integer> indexes, Outcome[] outcomes,
                                          String closedParent, long minSeq, int reroutes) {
        Map<ShardInfo, List<Integer>> byShard = new LinkedHashMap<>();
        for (int i : indexes) {
            ShardInfo shard = (closedParent == null ? t.shardFor(keys.get(i)) : t.childFor(closedParent, keys.get(i))).orElse(null);
            if (shard == null) {
                outcomes[i] = Outcome.failed(ErrorCode.INTERNAL_FAILURE, "No shard of stream " + t.name() + " takes this hash key right now; retry.");
            } else {
                byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(i);
            }
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        byShard.forEach((shard, idx) -> sends.add(sendToShard(t, shard, entries, keys, idx, outcomes, Math.max(minSeq, shard.minSeq()), reroutes)));
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> sendToShard(StreamTopology t, ShardInfo shard, List<Entry> entries, List<BigInteger> keys, List<Integer> idx,
                                                Outcome[] outcomes, long minSeq, int reroutes) {
        if (t.enforceLimits()) {
            long bytes = idx.stream().mapToLong(i -> entries.get(i).bytes()).sum();
            try {
                limits.write(shard.uid(), idx.size(), bytes, clockMs.getAsLong());
            } catch (BrokerException e) {
                idx.forEach(i -> outcomes[i] = Outcome.failed(e.code(), e.getMessage()));
                return CompletableFuture.completedFuture(null);
            }
        }
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (List<Integer> chunk : chunks(entries, idx)) {
            List<RecordEntry> records = chunk.stream().map(i -> new RecordEntry(entries.get(i).partitionKey(), entries.get(i).data())).toList();
            chunks.add(partitions.submit(shard.partition(), new StreamCommand.PutRecords(shard.uid(), records, minSeq)).handle((r, e) -> {
                if (e != null) {
                    failAll(chunk, outcomes, e);
                    return CompletableFuture.<Void>completedFuture(null);
                }
                return switch (r) {
                    case StreamResult.Put put -> {
                        for (int k = 0; k < chunk.size(); k++) {
                            outcomes[chunk.get(k)] = new Outcome(shard.shardId(), SequenceNumbers.format(put.seqs().get(k)), null, null);
                        }
                        yield CompletableFuture.<Void>completedFuture(null);
                    }
                    case StreamResult.ShardClosed closed -> reroute(t.name(), shard.shardId(), entries, keys, chunk, outcomes,
                            Math.max(minSeq, closed.endingSeq()), reroutes);
                    case PartitionResult.Error err when err.code() == ErrorCode.RESOURCE_NOT_FOUND && reroutes == 0 ->
                            // a stale topology (the stream was deleted and created again): route once more by the current one
                            reroute(t.name(), null, entries, keys, chunk, outcomes, minSeq, MAX_REROUTES - 1);
                    case PartitionResult.Error err -> {
                        chunk.forEach(i -> outcomes[i] = Outcome.failed(ErrorCode.INTERNAL_FAILURE, err.message()));
                        yield CompletableFuture.<Void>completedFuture(null);
                    }
                    default -> {
                        chunk.forEach(i -> outcomes[i] = Outcome.failed(ErrorCode.INTERNAL_FAILURE, "unexpected answer " + r));
                        yield CompletableFuture.<Void>completedFuture(null);
                    }
                };
            }).thenCompose(x -> x));
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new));
    }

    /**
     * The shard was closed by a reshard step after this node looked ({@code parent}; null: it was not found at all): the
     * controller's current topology names its children, whose records must get sequences above the parent's last.
     */
    private CompletableFuture<Void> reroute(String stream, String parent, List<Entry> entries, List<BigInteger> keys, List<Integer> idx,
                                            Outcome[] outcomes, long minSeq, int reroutes) {
        if (reroutes >= MAX_REROUTES) {
            idx.forEach(i -> outcomes[i] = Outcome.failed(ErrorCode.INTERNAL_FAILURE, "Shard " + parent + " was closed; retry."));
            return CompletableFuture.completedFuture(null);
        }
        return topologies.fresh(stream).thenCompose(t -> route(t, entries, keys, idx, outcomes, parent, minSeq, reroutes + 1))
                .exceptionally(e -> {
                    failAll(idx, outcomes, e);
                    return null;
                });
    }

    /** A failure of a whole command: its records are retryable (ProvisionedThroughputExceededException when the node pushed back). */
    private static void failAll(List<Integer> idx, Outcome[] outcomes, Throwable e) {
        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        ErrorCode code = c instanceof ThrottledException ? ErrorCode.PROVISIONED_THROUGHPUT_EXCEEDED : ErrorCode.INTERNAL_FAILURE;
        String message = c instanceof ThrottledException ? "The node is over its request budget; retry with backoff."
                : "The record could not be written (" + c.getMessage() + "); retry.";
        idx.forEach(i -> outcomes[i] = Outcome.failed(code, message));
    }

    /** Records in order, cut into commands of at most MAX_PUT_COMMAND_BYTES (every record fits: at most 1 MiB). */
    private static List<List<Integer>> chunks(List<Entry> entries, List<Integer> idx) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long bytes = 0;
        for (int i : idx) {
            long b = entries.get(i).bytes();
            if (!current.isEmpty() && (bytes + b > Limits.MAX_PUT_COMMAND_BYTES || current.size() >= Limits.MAX_PUT_RECORDS_ENTRIES)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(i);
            bytes += b;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    static void requireWritable(StreamTopology t) {
        switch (t.status()) {
            case CREATING -> throw new BrokerException(ErrorCode.RESOURCE_NOT_FOUND, "Stream " + t.name() + " is still being created.");
            case DELETING -> throw new BrokerException(ErrorCode.RESOURCE_NOT_FOUND, "Stream " + t.name() + " is being deleted.");
            default -> {
            }
        }
    }
}
