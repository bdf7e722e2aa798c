package io.pontoon.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The call ids of this node's own requests whose replies arrived, per group, handed to Ratis with the next request
 * to that group ({@code RaftClientRequest.repliedCallIds}). Ratis keeps each reply in its retry cache until it
 * expires or the client says it got it; this node never retries a call id, so saying so at once keeps the leader's
 * retry cache as small as the requests in flight, whatever the replies weigh. Ratis's own clients do the same.
 */
final class RepliedCallIds {
    /** More than any request needs: ids in flight per group are bounded by the group commit's in-flight limit. */
    private static final int MAX_PER_REQUEST = 4_096;
    private final Map<ReplicaGroupId, ConcurrentLinkedQueue<Long>> replied = new ConcurrentHashMap<>();

    void add(ReplicaGroupId group, long callId) {
        ConcurrentLinkedQueue<Long> q = replied.computeIfAbsent(group, g -> new ConcurrentLinkedQueue<>());
        q.add(callId);
        while (q.size() > MAX_PER_REQUEST) {
            q.poll(); // never reached in practice; the retry cache's expiry covers anything dropped here
        }
    }

    List<Long> drain(ReplicaGroupId group) {
        ConcurrentLinkedQueue<Long> q = replied.get(group);
        List<Long> ids = new ArrayList<>();
        if (q != null) {
            for (Long id; ids.size() < MAX_PER_REQUEST && (id = q.poll()) != null; ) {
                ids.add(id);
            }
        }
        return ids;
    }
}
