package io.pontoon.core.queue;

/**
 * The attributes only FIFO queues have. A queue is FIFO exactly when its name ends in ".fifo" and it was
 * created with FifoQueue=true; the type never changes after creation.
 */
public record FifoSettings(boolean contentBasedDeduplication, DeduplicationScope deduplicationScope,
                           FifoThroughputLimit fifoThroughputLimit) {

    public static final FifoSettings DEFAULTS = new FifoSettings(false, DeduplicationScope.QUEUE, FifoThroughputLimit.PER_QUEUE);

    /** Whether a MessageDeduplicationId is remembered per queue or per message group. */
    public enum DeduplicationScope {
        QUEUE("queue"), MESSAGE_GROUP("messageGroup");

        private final String awsName;

        DeduplicationScope(String awsName) {
            this.awsName = awsName;
        }

        public String awsName() { return awsName; }
    }

    /** perMessageGroupId is AWS's high-throughput mode; it requires DeduplicationScope=messageGroup. */
    public enum FifoThroughputLimit {
        PER_QUEUE("perQueue"), PER_MESSAGE_GROUP_ID("perMessageGroupId");

        private final String awsName;

        FifoThroughputLimit(String awsName) {
            this.awsName = awsName;
        }

        public String awsName() { return awsName; }
    }
}
