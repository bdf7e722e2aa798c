package io.pontoon.core.stream;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

/**
 * Stream and consumer ARNs as Pontoon writes them, in the AWS shape: {@code arn:aws:kinesis:pontoon:000000000000:stream/NAME}
 * and {@code .../stream/NAME/consumer/CONSUMER:CREATION_SECONDS}.
 */
public final class StreamArns {
    public static final String STREAM_PREFIX = "arn:aws:kinesis:pontoon:000000000000:stream/";

    private StreamArns() {
    }

    public static String stream(String name) {
        return STREAM_PREFIX + name;
    }

    public static String consumer(String stream, String consumer, long createdAtMs) {
        return stream(stream) + "/consumer/" + consumer + ":" + createdAtMs / 1000;
    }

    /**
     * The stream a request names, by StreamName or StreamARN (at least one; if both, they must agree), as Kinesis takes
     * either: InvalidArgumentException otherwise.
     */
    public static String streamName(String name, String arn) {
        boolean hasName = name != null && !name.isEmpty(), hasArn = arn != null && !arn.isEmpty();
        if (!hasName && !hasArn) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Either StreamName or StreamARN is required.");
        }
        String fromArn = hasArn ? parseStream(arn) : null;
        if (hasName && hasArn && !name.equals(fromArn)) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "StreamName '" + name + "' and StreamARN '" + shown(arn) + "' name different streams.");
        }
        String result = hasName ? name : fromArn;
        StreamValidator.streamName(result);
        return result;
    }

    public static String parseStream(String arn) {
        if (arn == null || !arn.startsWith(STREAM_PREFIX) || arn.length() > STREAM_PREFIX.length() + 128 || arn.indexOf('/', STREAM_PREFIX.length()) >= 0) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "'" + shown(arn) + "' is not a Pontoon stream ARN (" + STREAM_PREFIX + "<name>).");
        }
        return arn.substring(STREAM_PREFIX.length());
    }

    /**
     * A consumer ARN's parts: its stream and consumer names and, when the ARN carries it, the consumer's creation time
     * in epoch seconds. An ARN names one registration: a consumer deregistered and registered again under the same name
     * has a new ARN, and the old one no longer names it (Kinesis answers ResourceNotFound).
     */
    public record ConsumerRef(String stream, String consumer, Long createdSeconds) {
        public ConsumerRef(String stream, String consumer) {
            this(stream, consumer, null);
        }

        /** Whether this reference names the consumer registered as {@code name} at {@code createdAtMs}. */
        public boolean names(String name, long createdAtMs) {
            return consumer.equals(name) && (createdSeconds == null || createdSeconds == createdAtMs / 1000);
        }
    }

    public static ConsumerRef parseConsumer(String arn) {
        int c = arn == null ? -1 : arn.indexOf("/consumer/");
        if (arn == null || !arn.startsWith(STREAM_PREFIX) || c < 0 || arn.length() > 1_024) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "'" + shown(arn) + "' is not a Pontoon consumer ARN.");
        }
        String stream = arn.substring(STREAM_PREFIX.length(), c);
        String rest = arn.substring(c + "/consumer/".length());
        int colon = rest.lastIndexOf(':');
        String consumer = colon < 0 ? rest : rest.substring(0, colon);
        String created = colon < 0 ? null : rest.substring(colon + 1);
        if (created != null && !created.matches("[0-9]{1,12}")) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "'" + shown(arn) + "' is not a Pontoon consumer ARN: it ends in "
                    + "the consumer's creation time in seconds (consumer/NAME:SECONDS).");
        }
        StreamValidator.streamName(stream);
        StreamValidator.consumerName(consumer);
        return new ConsumerRef(stream, consumer, created == null ? null : Long.parseLong(created));
    }

    private static String shown(String s) {
        return s == null ? "" : s.length() > 128 ? s.substring(0, 128) + "..." : s;
    }
}
