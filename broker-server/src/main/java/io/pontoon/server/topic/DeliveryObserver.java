package io.pontoon.server.topic;

/** What the node's metrics learn of the fan-out, per subscription (its ARN) and protocol. */
public interface DeliveryObserver {

    /** A delivery was made; {@code latencyMs} from the publish (leader time) to now. */
    void delivered(String subscriptionArn, String protocol, long latencyMs);

    /** An HTTP(S) attempt failed and will be retried. */
    void retried(String subscriptionArn, String protocol);

    /** A delivery failed for good (to the dead-letter queue, or dropped), or its destination does not exist. */
    void failed(String subscriptionArn, String protocol);

    DeliveryObserver NONE = new DeliveryObserver() {
        public void delivered(String subscriptionArn, String protocol, long latencyMs) {
        }

        public void retried(String subscriptionArn, String protocol) {
        }

        public void failed(String subscriptionArn, String protocol) {
        }
    };
}
