package io.pontoon.core.stream;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kinesis hash keys: a record's partition key is MD5-hashed to a 128-bit unsigned integer (or the producer gives one
 * as ExplicitHashKey), and the shard whose inclusive range [StartingHashKey, EndingHashKey] holds it takes the record.
 */
public final class HashKeys {
    /** The largest hash key, 2^128 - 1. */
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9]\\d{0,38}");

    private HashKeys() {
    }

    /** The hash key of a partition key: MD5 of its UTF-8 bytes, as an unsigned 128-bit integer. */
    public static BigInteger ofPartitionKey(String partitionKey) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** An ExplicitHashKey: a decimal integer in [0, 2^128 - 1]. */
    public static BigInteger parseExplicit(String value) {
        if (value == null || !DECIMAL.matcher(value).matches() || new BigInteger(value).compareTo(MAX) > 0) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "ExplicitHashKey must be a decimal integer from 0 to 2^128 - 1, got '"
                    + (value == null ? "" : value.length() > 64 ? value.substring(0, 64) + "..." : value) + "'.");
        }
        return new BigInteger(value);
    }

    /** Whether {@code key} is a valid hash key (as a decimal string, e.g. NewStartingHashKey of SplitShard). */
    public static boolean isValid(String key) {
        return key != null && DECIMAL.matcher(key).matches() && new BigInteger(key).compareTo(MAX) <= 0;
    }

    /** The i-th of {@code n} equal ranges of the hash key space, as AWS creates shards: [start, end], inclusive. */
    public static BigInteger[] uniformRange(int i, int n) {
        BigInteger start = SPACE.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n));
        BigInteger end = SPACE.multiply(BigInteger.valueOf(i + 1L)).divide(BigInteger.valueOf(n)).subtract(BigInteger.ONE);
        return new BigInteger[] {start, end};
    }

    /** The starting keys of {@code n} equal ranges, ascending (the first is 0). */
    public static List<BigInteger> uniformStarts(int n) {
        List<BigInteger> starts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            starts.add(uniformRange(i, n)[0]);
        }
        return starts;
    }

    /** 16 bytes, big-endian, unsigned: the stored form. */
    public static byte[] toBytes(BigInteger key) {
        byte[] raw = key.toByteArray();
        byte[] out = new byte[16];
        int n = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - n, out, 16 - n, n);
        return out;
    }

    public static BigInteger fromBytes(byte[] bytes) {
        return new BigInteger(1, bytes);
    }
}
