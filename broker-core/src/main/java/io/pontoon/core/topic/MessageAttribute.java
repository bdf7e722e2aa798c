package io.pontoon.core.topic;

/**
 * A message attribute of a published message: its data type (String, String.Array, Number or Binary, with an optional
 * custom suffix) and its value, a string or bytes for Binary.
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    public boolean isBinary() {
        return dataType.startsWith("Binary");
    }

    /** Name excluded: type plus value, as SNS counts an attribute toward the message size. */
    long sizeBytes() {
        return io.pontoon.core.codec.Utf8.length(dataType)
                + (binaryValue != null ? binaryValue.length : stringValue == null ? 0 : io.pontoon.core.codec.Utf8.length(stringValue));
    }
}
