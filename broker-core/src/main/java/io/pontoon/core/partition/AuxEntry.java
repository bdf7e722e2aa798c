package io.pontoon.core.partition;

/** One key/value pair of an {@link AuxTable}. */
public record AuxEntry(byte[] key, byte[] value) {
}
