package io.pontoon.server.stream;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.stream.StreamValidator;

/** Request checks that need a friendlier message than the core's (a missing parameter is named as such). */
final class StreamValidatorCalls {
    private StreamValidatorCalls() {
    }

    static void shardId(String shardId) {
        if (shardId == null || shardId.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "ShardId is required.");
        }
        StreamValidator.shardId(shardId);
    }
}
