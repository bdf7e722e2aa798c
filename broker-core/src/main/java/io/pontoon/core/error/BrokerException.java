package io.pontoon.core.error;

/** A request rejected with an AWS error code. Thrown before replication; never escapes {@code apply}. */
public final class BrokerException extends RuntimeException {
    private final ErrorCode code;

    public BrokerException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() { return code; }
}
