package io.pontoon.core.topic;

/** What the fan-out reads: deliveries waiting on a partition, with what they need to be made. */
public final class Deliveries {
    private Deliveries() {
    }

    /** What an ordered delivery goes into: a Pontoon queue or a Pontoon stream. */
    public enum Target { QUEUE, STREAM }

    /**
     * A delivery into a Pontoon queue or stream: these go out in sequence order, exactly once (the destination keeps a
     * mark per source lane). The destination and the raw flag are fixed at publish (or when a failed HTTP delivery went
     * to its dead-letter queue), so an Unsubscribe does not strand it.
     *
     * @param name            the queue's or the stream's name
     * @param subscriptionArn the subscription it was published for
     * @param deadLetter      true when this is a failed delivery on its way to the subscription's dead-letter queue
     */
    public record Ordered(long seq, Target target, String name, boolean raw, boolean deadLetter, String subscriptionArn, PublishedMessage message) {
    }

    /** A delivery to an HTTP(S) endpoint; the subscription is read when it is made. */
    public record ToHttp(long seq, PublishedMessage message) {
    }
}
