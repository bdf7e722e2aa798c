package io.pontoon.core.storage;

/** One key/value pair of an {@link AuxTable}. */
public record AuxEntry(byte[] key, byte[] value) {
}
