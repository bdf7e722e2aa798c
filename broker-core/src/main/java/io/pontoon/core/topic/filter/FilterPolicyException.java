package io.pontoon.core.topic.filter;

/**
 * A filter policy that SNS would refuse. The message names the offending part, for example
 * {@code FilterPolicy: "price": numeric range lower bound 100 is above upper bound 10}; callers return it as the
 * InvalidParameter message.
 */
public final class FilterPolicyException extends IllegalArgumentException {
    FilterPolicyException(String message) {
        super(message);
    }
}
