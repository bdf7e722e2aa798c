package io.pontoon.server.partition;

/**
 * The node has no room for the request now (a full request queue or memory budget). Answered as RequestThrottled
 * with a retry-after hint: the request was not taken, so the client can retry it safely after backing off.
 */
public final class ThrottledException extends RuntimeException {
    /** The backoff suggested to the client. */
    public static final long RETRY_AFTER_MS = 100;

    public ThrottledException(String message) {
        super(message, null, false, false);
    }
}
