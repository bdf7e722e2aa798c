package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * A receipt handle: which partition, which queue incarnation, which message, and which receive issued it.
 * The partition lets a node route a delete of a queue that spans several partitions (high-throughput FIFO).
 * Encoded as {@code "p2." + base64url(partitionId, queueId, seq, receiptSeq, crc32)}; the version prefix lets
 * the format change, the CRC makes a mangled handle fail as invalid instead of naming some other message.
 */
public record ReceiptHandle(int partitionId, long queueId, long seq, long receiptSeq) {
    private static final String PREFIX_V2 = "p2.";
    private static final int PAYLOAD_BYTES = Integer.BYTES + 3 * Long.BYTES;
    private static final int ENCODED_BYTES = PAYLOAD_BYTES + Integer.BYTES;

    public String encode() {
        ByteBuffer buf = ByteBuffer.allocate(ENCODED_BYTES);
        buf.putInt(partitionId).putLong(queueId).putLong(seq).putLong(receiptSeq);
        buf.putInt(crc(buf.array()));
        return PREFIX_V2 + Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    /** Parses a handle; anything malformed is ReceiptHandleIsInvalid. */
    public static ReceiptHandle parse(String handle) {
        if (handle == null || handle.length() > Limits.MAX_RECEIPT_HANDLE_LENGTH || !handle.startsWith(PREFIX_V2)) {
            throw invalid(handle);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(handle.substring(PREFIX_V2.length()));
        } catch (IllegalArgumentException e) {
            throw invalid(handle);
        }
        if (bytes.length != ENCODED_BYTES) {
            throw invalid(handle);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        ReceiptHandle parsed = new ReceiptHandle(buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong());
        if (buf.getInt() != crc(bytes) || parsed.partitionId < 0 || parsed.partitionId >= Limits.MAX_PARTITIONS
                || parsed.queueId <= 0 || parsed.seq <= 0 || parsed.receiptSeq <= 0) {
            throw invalid(handle);
        }
        return parsed;
    }

    private static int crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, PAYLOAD_BYTES);
        return (int) crc.getValue();
    }

    private static BrokerException invalid(String handle) {
        return new BrokerException(ErrorCode.RECEIPT_HANDLE_IS_INVALID, "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }
}
