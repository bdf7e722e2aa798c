package io.pontoon.core.storage;

/** Messages whose visibility lies in the future: delayed (never received) and in flight (received). */
public record NotVisibleCounts(long delayed, long inFlight) {
}
