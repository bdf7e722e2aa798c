package io.pontoon.core.topic;

import io.pontoon.core.partition.StoreView;
import io.pontoon.core.topic.filter.FilterPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic's live subscriptions with their compiled filter policies, so that a publish neither reads nor compiles them
 * again. An entry is keyed by the topic's identity and subscription version, which every subscription change raises,
 * so a hit is exactly what the store holds: the cache changes no outcome, only the work (apply stays pure).
 */
final class TopicSubscriptionsCache {
    private static final int MAX_TOPICS = 1_000;

    record Compiled(Subscription subscription, FilterPolicy filter) {
    }

    private record Key(String topic, long createdAtSeq, long version) {
    }

    private final Map<Key, List<Compiled>> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, List<Compiled>> eldest) {
            return size() > MAX_TOPICS;
        }
    };

    List<Compiled> of(StoreView view, Topic topic) {
        Key key = new Key(topic.name(), topic.createdAtSeq(), topic.version());
        List<Compiled> hit = entries.get(key);
        if (hit != null) {
            return hit;
        }
        List<Compiled> out = new ArrayList<>();
        for (Subscription s : TopicStore.subscriptions(view, topic.name())) {
            if (!s.deleted()) {
                String policy = s.filterPolicy();
                out.add(new Compiled(s, policy == null ? null : FilterPolicy.compile(policy,
                        TopicAttributes.scope(s.attributes().getOrDefault(TopicAttributes.FILTER_POLICY_SCOPE, "MessageAttributes")))));
            }
        }
        entries.keySet().removeIf(k -> k.topic().equals(topic.name()));
        entries.put(key, List.copyOf(out));
        return out;
    }
}
