package io.pontoon.client.cli;

import io.pontoon.api.v1.GetReplicaDigestResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a set of replica digests says, in one line for an operator: replicas can only be compared at the same applied
 * index, so digests taken while one replica is still catching up differ without meaning anything.
 */
final class ReplicaVerdict {
    private ReplicaVerdict() {
    }

    static String of(List<GetReplicaDigestResponse> digests) {
        Map<Long, Set<String>> hashesAt = new TreeMap<>();
        for (GetReplicaDigestResponse d : digests) {
            hashesAt.computeIfAbsent(d.getAppliedIndex(), i -> new java.util.TreeSet<>()).add(d.getSha256());
        }
        List<Long> diverged = hashesAt.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        if (!diverged.isEmpty()) {
            return "DIVERGED: replicas at applied index " + diverged + " hold different state";
        }
        if (hashesAt.size() == 1) {
            return "in agreement: all " + digests.size() + " replicas at applied index " + hashesAt.keySet().iterator().next();
        }
        long newest = ((TreeMap<Long, Set<String>>) hashesAt).lastKey();
        String behind = digests.stream().filter(d -> d.getAppliedIndex() < newest).map(GetReplicaDigestResponse::getNodeId)
                .collect(Collectors.joining(", "));
        return "not comparable yet: " + behind + " still catching up to applied index " + newest + " (run again; writes in flight also cause this)";
    }
}
