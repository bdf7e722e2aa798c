package io.pontoon.core.queue;

import java.util.Arrays;
import java.util.Objects;

/**
 * One SQS message attribute. {@code dataType} is String, Number or Binary, optionally followed by a custom
 * label ("Number.float"). Exactly one of {@code stringValue} / {@code binaryValue} is non-null. Equal by value,
 * binary values included.
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {
    @Override
    public boolean equals(Object o) {
        return o instanceof MessageAttribute a && Objects.equals(dataType, a.dataType) && Objects.equals(stringValue, a.stringValue)
                && Arrays.equals(binaryValue, a.binaryValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataType, stringValue) * 31 + Arrays.hashCode(binaryValue);
    }

    @Override
    public String toString() {
        return "MessageAttribute[" + dataType + "=" + (stringValue != null ? stringValue : binaryValue.length + " bytes") + "]";
    }
}
