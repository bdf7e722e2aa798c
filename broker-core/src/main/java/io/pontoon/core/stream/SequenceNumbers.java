package io.pontoon.core.stream;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

/**
 * Kinesis sequence numbers as Pontoon writes them: the partition's log-derived sequence (strictly increasing over the
 * partition's life, so over every shard's life) as 21 decimal digits, {@code 10^20 + seq}. Every one has the same
 * length and starts with 1, so comparing them as strings agrees with comparing them as numbers, and they match the
 * Kinesis format {@code 0|[1-9]\d{0,128}}.
 */
public final class SequenceNumbers {
    /** The largest sequence Pontoon issues (10^17 - 1): far beyond any log, and always 20 digits after the leading 1. */
    public static final long MAX_SEQ = 99_999_999_999_999_999L;

    private SequenceNumbers() {
    }

    public static String format(long seq) {
        if (seq < 0 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("sequence out of range: " + seq);
        }
        return "1" + String.format("%020d", seq);
    }

    /** The sequence inside {@code value}; InvalidArgumentException if it is not a sequence number Pontoon issued. */
    public static long parse(String value, String field) {
        if (value == null || value.length() != 21 || value.charAt(0) != '1') {
            throw invalid(value, field);
        }
        for (int i = 1; i < 21; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(value, field);
            }
        }
        long seq = Long.parseLong(value.substring(1));
        if (seq > MAX_SEQ) {
            throw invalid(value, field);
        }
        return seq;
    }

    private static BrokerException invalid(String value, String field) {
        String shown = value == null ? "" : value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return new BrokerException(ErrorCode.INVALID_ARGUMENT, field + " '" + shown + "' is not a sequence number of this stream.");
    }
}
