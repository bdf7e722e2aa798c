package io.pontoon.raft;

/** A request could not be replicated or read (no leader, timeout, node closing). Safe to retry elsewhere. */
public final class ReplicationException extends RuntimeException {
    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
