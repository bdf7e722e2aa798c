package io.pontoon.core.stream;

import java.util.Arrays;
import java.util.Objects;

/** A record in a shard's log: immutable once written. Compares by value (its data included). */
public record StoredRecord(long seq, long arrivalMs, String partitionKey, byte[] data) {

    /** What the record weighs in a read's byte budget: data, partition key and framing. */
    public long weight() {
        return data.length + (long) partitionKey.length() * 3 + io.pontoon.core.Limits.RECORD_OVERHEAD_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRecord r && r.seq == seq && r.arrivalMs == arrivalMs && r.partitionKey.equals(partitionKey)
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, arrivalMs, partitionKey, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "StoredRecord[seq=" + seq + ", arrivalMs=" + arrivalMs + ", partitionKey=" + partitionKey + ", " + data.length + " bytes]";
    }
}
