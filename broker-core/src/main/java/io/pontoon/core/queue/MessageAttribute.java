package io.pontoon.core.queue;

/**
 * One SQS message attribute. {@code dataType} is String, Number or Binary, optionally followed by a custom
 * label ("Number.float"). Exactly one of {@code stringValue} / {@code binaryValue} is non-null.
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {
}
