package io.pontoon.server.stream;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kinesis per-shard rates, enforced where a request is served, before anything enters the log: writes of 1,000
 * records and 1 MiB per second, reads of 5 GetRecords calls and 2 MiB per second. Token buckets refilled by the
 * node's clock, one second deep. A request that does not fit is refused with ProvisionedThroughputExceededException
 * (the client backs off and retries). Streams can turn them off ({@code enforce_shard_limits}).
 *
 * <p>Each node keeps its own buckets: the Java client sends a shard's requests to its partition's leader, so the
 * leader sees them all; a client that spreads one shard's traffic over several nodes gets their sum.
 */
public final class ShardLimits {
    private static final int MAX_TRACKED = 100_000;
    private final Map<Long, Buckets> shards = new ConcurrentHashMap<>();

    /** One shard's buckets. */
    private static final class Buckets {
        final Bucket writeRecords = new Bucket(Limits.SHARD_WRITE_RECORDS_PER_SECOND);
        final Bucket writeBytes = new Bucket(Limits.SHARD_WRITE_BYTES_PER_SECOND);
        final Bucket readCalls = new Bucket(Limits.SHARD_READ_CALLS_PER_SECOND);
        final Bucket readBytes = new Bucket(Limits.SHARD_READ_BYTES_PER_SECOND);
    }

    /** Tokens per second, at most one second's worth held. */
    private static final class Bucket {
        private final double ratePerMs;
        private final double capacity;
        private double tokens;
        private long lastMs = Long.MIN_VALUE;

        Bucket(int perSecond) {
            this.ratePerMs = perSecond / 1000.0;
            this.capacity = perSecond;
            this.tokens = perSecond;
        }

        void refill(long nowMs) {
            if (lastMs != Long.MIN_VALUE && nowMs > lastMs) {
                tokens = Math.min(capacity, tokens + (nowMs - lastMs) * ratePerMs);
            }
            lastMs = Math.max(lastMs, nowMs);
        }
    }

    /** Takes {@code records} and {@code bytes} from the shard's write buckets, or refuses the whole write. */
    public void write(long uid, int records, long bytes, long nowMs) {
        Buckets b = buckets(uid);
        synchronized (b) {
            b.writeRecords.refill(nowMs);
            b.writeBytes.refill(nowMs);
            if (records > b.writeRecords.tokens || bytes > b.writeBytes.tokens) {
                throw exceeded("Rate exceeded for shard: writes of " + Limits.SHARD_WRITE_RECORDS_PER_SECOND + " records and "
                        + Limits.SHARD_WRITE_BYTES_PER_SECOND + " bytes per second.");
            }
            b.writeRecords.tokens -= records;
            b.writeBytes.tokens -= bytes;
        }
    }

    /** Takes one read call; refused if the shard had its 5 calls this second, or its read bytes are used up. */
    public void read(long uid, long nowMs) {
        Buckets b = buckets(uid);
        synchronized (b) {
            b.readCalls.refill(nowMs);
            b.readBytes.refill(nowMs);
            if (b.readCalls.tokens < 1 || b.readBytes.tokens <= 0) {
                throw exceeded("Rate exceeded for shard: reads of " + Limits.SHARD_READ_CALLS_PER_SECOND + " calls and "
                        + Limits.SHARD_READ_BYTES_PER_SECOND + " bytes per second.");
            }
            b.readCalls.tokens -= 1;
        }
    }

    /** Charges the bytes a read returned (they may take the bucket below zero: the next reads wait, as in AWS). */
    public void readBytes(long uid, long bytes) {
        Buckets b = buckets(uid);
        synchronized (b) {
            b.readBytes.tokens -= bytes;
        }
    }

    private Buckets buckets(long uid) {
        if (shards.size() >= MAX_TRACKED && !shards.containsKey(uid)) {
            shards.clear(); // a new second of budgets for everyone: bounded memory over millions of shards' lifetimes
        }
        return shards.computeIfAbsent(uid, k -> new Buckets());
    }

    private static BrokerException exceeded(String message) {
        return new BrokerException(ErrorCode.PROVISIONED_THROUGHPUT_EXCEEDED, message);
    }
}
