package io.pontoon.core.stream;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.Utf8;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.TagRules;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Stateless checks of stream requests and commands, before replication and again in apply (so a command that skipped
 * the server's checks becomes an error result, never bad state). Failures carry Kinesis error codes.
 */
public final class StreamValidator {
    /** StreamName, ShardId and consumer names: Kinesis's character set. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    private StreamValidator() {
    }

    public static void validate(StreamCommand command) {
        switch (command) {
            case StreamCommand.CreateShard c -> {
                streamName(c.streamName());
                shardId(c.shardId());
                if (c.startingHashKey().signum() < 0 || c.endingHashKey().compareTo(HashKeys.MAX) > 0
                        || c.startingHashKey().compareTo(c.endingHashKey()) > 0) {
                    throw invalid("A shard's hash key range must lie in [0, 2^128 - 1] and not be empty.");
                }
            }
            case StreamCommand.PutLaneRecords l -> {
                validate(l.put());
                if (l.lane() < 0 || l.laneSeqs().size() != l.put().records().size()) {
                    throw invalid("A lane put names its lane and one lane sequence per record.");
                }
                for (int i = 1; i < l.laneSeqs().size(); i++) {
                    if (l.laneSeqs().get(i) <= l.laneSeqs().get(i - 1)) {
                        throw invalid("A lane put's sequences strictly increase.");
                    }
                }
            }
            case StreamCommand.PutRecords p -> {
                if (p.records().isEmpty() || p.records().size() > Limits.MAX_PUT_RECORDS_ENTRIES) {
                    throw invalid("A put carries 1 to " + Limits.MAX_PUT_RECORDS_ENTRIES + " records, got " + p.records().size() + ".");
                }
                long bytes = 0;
                for (StreamCommand.RecordEntry r : p.records()) {
                    record(r.partitionKey(), r.data());
                    bytes += r.bytes();
                }
                if (p.minSeq() < -1 || p.minSeq() > SequenceNumbers.MAX_SEQ - Limits.MAX_PUT_RECORDS_ENTRIES * 1_000L) {
                    throw invalid("minSeq is out of range.");
                }
                if (bytes > Limits.MAX_PUT_COMMAND_BYTES) {
                    throw invalid("One put command carries at most " + Limits.MAX_PUT_COMMAND_BYTES + " bytes of records, got " + bytes + ".");
                }
            }
            case StreamCommand.CloseShard c -> {
            }
            case StreamCommand.TrimShard t -> {
                if (t.trimBeforeMs() < 0) {
                    throw invalid("trimBeforeMs must not be negative.");
                }
            }
            case StreamCommand.DeleteShard d -> {
            }
            case StreamCommand.UpdateLease u -> {
                leaseName("application", u.application(), false);
                leaseName("expected owner", u.expectedOwner(), true);
                leaseName("owner", u.newOwner(), true);
                if (u.expectedCounter() < 0 || u.durationMs() < 0 || u.durationMs() > Limits.MAX_LEASE_DURATION_MS) {
                    throw invalid("A lease lasts 0 to " + Limits.MAX_LEASE_DURATION_MS + " ms and names a counter of 0 or more.");
                }
                if (u.checkpoint() != null) {
                    checkpoint(u.checkpoint());
                }
            }
        }
    }

    public static void validate(StreamQuery query) {
        switch (query) {
            case StreamQuery.ReadRecords r -> {
                if (r.limit() < 1 || r.limit() > Limits.MAX_GET_RECORDS_LIMIT || r.maxBytes() < 1 || r.maxBytes() > Limits.MAX_GET_RECORDS_BYTES) {
                    throw invalid("A read returns 1 to " + Limits.MAX_GET_RECORDS_LIMIT + " records and at most " + Limits.MAX_GET_RECORDS_BYTES + " bytes.");
                }
            }
            case StreamQuery.LocalShards l -> {
                if (l.limit() < 1 || l.limit() > Limits.MAX_LIST_SHARDS_REQUESTED) {
                    throw invalid("limit must be 1 to " + Limits.MAX_LIST_SHARDS_REQUESTED + ".");
                }
            }
            case StreamQuery.Leases l -> {
                leaseName("application", l.application(), false);
                if (l.uids().size() > Limits.MAX_SHARDS_PER_STREAM) {
                    throw invalid("At most " + Limits.MAX_SHARDS_PER_STREAM + " leases per read.");
                }
            }
            case StreamQuery.ShardState s -> {
            }
            case StreamQuery.SeqAtTime t -> {
            }
            case StreamQuery.LaneMark m -> {
            }
        }
    }

    /** StreamName: 1 to 128 characters of a-z, A-Z, 0-9, _, . and -. */
    public static void streamName(String name) {
        if (name == null || name.isEmpty() || name.length() > Limits.MAX_STREAM_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw invalid("StreamName must be 1 to " + Limits.MAX_STREAM_NAME_LENGTH + " characters of a-z, A-Z, 0-9, '_', '.' and '-', got '"
                    + shown(name) + "'.");
        }
    }

    public static void shardId(String shardId) {
        if (shardId == null || shardId.isEmpty() || shardId.length() > Limits.MAX_SHARD_ID_LENGTH || !NAME.matcher(shardId).matches()) {
            throw invalid("ShardId must be 1 to " + Limits.MAX_SHARD_ID_LENGTH + " characters of a-z, A-Z, 0-9, '_', '.' and '-', got '"
                    + shown(shardId) + "'.");
        }
    }

    /** The AWS tag rules (TagRules), answered with Kinesis's codes. */
    private static final TagRules TAGS = new TagRules("stream", ErrorCode.INVALID_ARGUMENT, ErrorCode.LIMIT_EXCEEDED);

    /** Tags of CreateStream and AddTagsToStream: at most 50, keys 1-128 and values 0-256 characters, no "aws:" prefix. */
    public static void tags(Map<String, String> tags) {
        TAGS.tags(tags);
    }

    /** RemoveTagsFromStream's keys: 1 to 50 valid tag keys. */
    public static void tagKeys(List<String> keys) {
        TAGS.keys(keys);
    }

    /** ConsumerName: as a stream name. */
    public static void consumerName(String name) {
        if (name == null || name.isEmpty() || name.length() > Limits.MAX_CONSUMER_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw invalid("ConsumerName must be 1 to " + Limits.MAX_CONSUMER_NAME_LENGTH + " characters of a-z, A-Z, 0-9, '_', '.' and '-', got '"
                    + shown(name) + "'.");
        }
    }

    /** A record: a partition key of 1 to 256 characters, and data plus partition key of at most 1 MiB. */
    public static void record(String partitionKey, byte[] data) {
        if (partitionKey == null || partitionKey.isEmpty() || partitionKey.codePointCount(0, partitionKey.length()) > Limits.MAX_PARTITION_KEY_LENGTH) {
            throw invalid("PartitionKey must be 1 to " + Limits.MAX_PARTITION_KEY_LENGTH + " Unicode characters.");
        }
        if (!Utf8.isWellFormed(partitionKey)) {
            throw invalid("PartitionKey is not valid Unicode (unpaired surrogate).");
        }
        long bytes = (long) data.length + Utf8.length(partitionKey);
        if (bytes > Limits.MAX_RECORD_SIZE_BYTES) {
            throw invalid("A record's data and partition key must be at most " + Limits.MAX_RECORD_SIZE_BYTES + " bytes, got " + bytes + ".");
        }
    }

    public static void retentionHours(int hours) {
        if (hours < Limits.MIN_STREAM_RETENTION_HOURS || hours > Limits.MAX_STREAM_RETENTION_HOURS) {
            throw invalid("RetentionPeriodHours must be " + Limits.MIN_STREAM_RETENTION_HOURS + " to " + Limits.MAX_STREAM_RETENTION_HOURS
                    + ", got " + hours + ".");
        }
    }

    /** A lease checkpoint: a sequence number Pontoon issued, TRIM_HORIZON or SHARD_END. */
    public static void checkpoint(String checkpoint) {
        if (!checkpoint.equals(Lease.SHARD_END) && !checkpoint.equals(Lease.TRIM_HORIZON)) {
            SequenceNumbers.parse(checkpoint, "Checkpoint");
        }
    }

    /** A NewStartingHashKey of SplitShard, inside the shard's range and not its start. */
    public static BigInteger splitKey(String key, ShardRange range) {
        if (!HashKeys.isValid(key)) {
            throw invalid("NewStartingHashKey must be a decimal integer from 0 to 2^128 - 1.");
        }
        BigInteger k = new BigInteger(key);
        if (k.compareTo(range.start()) <= 0 || k.compareTo(range.end()) > 0) {
            throw invalid("NewStartingHashKey must lie inside the shard's range (" + range.start() + ", " + range.end() + "].");
        }
        return k;
    }

    /** A hash key range (inclusive). */
    public record ShardRange(BigInteger start, BigInteger end) {
    }

    private static void leaseName(String what, String value, boolean nullable) {
        if (value == null) {
            if (!nullable) {
                throw invalid("The lease " + what + " is required.");
            }
            return;
        }
        if (value.isEmpty() || value.length() > Limits.MAX_LEASE_NAME_LENGTH || !Utf8.isWellFormed(value)) {
            throw invalid("The lease " + what + " must be 1 to " + Limits.MAX_LEASE_NAME_LENGTH + " characters.");
        }
    }

    static BrokerException invalid(String message) {
        return new BrokerException(ErrorCode.INVALID_ARGUMENT, message);
    }

    private static String shown(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
