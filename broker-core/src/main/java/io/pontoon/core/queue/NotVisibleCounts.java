package io.pontoon.core.queue;

/** Messages whose visibility lies in the future: delayed (never received) and in flight (received). */
public record NotVisibleCounts(long delayed, long inFlight) {
}
