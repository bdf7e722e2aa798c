package io.pontoon.core.topic;

import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as stored on its partition. {@code version} grows with every change to its subscriptions, so a cache of
 * the subscriptions keyed by (name, createdAtSeq, version) is never stale.
 *
 * @param createdAtSeq the partition sequence at creation: a topic deleted and created again is another topic
 */
public record Topic(String name, long createdAtSeq, long createdMs, Map<String, String> attributes, Map<String, String> tags,
                    long version, int confirmedSubscriptions, int pendingSubscriptions, int filterPolicies) {
    public Topic {
        attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    public boolean isFifo() {
        return name.endsWith(".fifo");
    }

    public int subscriptions() {
        return confirmedSubscriptions + pendingSubscriptions;
    }

    Topic withAttributes(Map<String, String> a) {
        return new Topic(name, createdAtSeq, createdMs, a, tags, version, confirmedSubscriptions, pendingSubscriptions, filterPolicies);
    }

    Topic withTags(Map<String, String> t) {
        return new Topic(name, createdAtSeq, createdMs, attributes, t, version, confirmedSubscriptions, pendingSubscriptions, filterPolicies);
    }

    /** A subscription change: counts move by the deltas and the version grows. */
    Topic withSubscriptionChange(int confirmedDelta, int pendingDelta, int filterDelta) {
        return new Topic(name, createdAtSeq, createdMs, attributes, tags, version + 1, confirmedSubscriptions + confirmedDelta,
                pendingSubscriptions + pendingDelta, filterPolicies + filterDelta);
    }
}
