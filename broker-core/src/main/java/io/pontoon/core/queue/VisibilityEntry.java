package io.pontoon.core.queue;

/**
 * One entry of a queue's visibility index, ordered by (visibleAtMs, seq): the time a message becomes
 * receivable. {@code received} tells an in-flight message (received at least once) from a delayed one,
 * so counts need not read the message itself.
 */
public record VisibilityEntry(long visibleAtMs, long seq, boolean received) {
}
