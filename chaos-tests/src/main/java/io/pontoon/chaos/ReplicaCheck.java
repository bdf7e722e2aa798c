package io.pontoon.chaos;

import io.pontoon.api.v1.GetReplicaDigestResponse;
import io.pontoon.client.PontoonClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * After heal and drain: every replica of a group reports the same state. Each node hashes its own replica
 * (GetReplicaDigest: applied index + SHA-256 of the whole state); apply is deterministic, so replicas at one
 * applied index must have one hash. Leaders keep proposing Ticks, so the check retries until all three happen
 * to be at the same index, up to a deadline.
 */
final class ReplicaCheck {
    private ReplicaCheck() {
    }

    record Result(List<String> agreed, List<String> anomalies) {
        String describe() {
            return "replicas: " + (anomalies.isEmpty() ? "agree: " + agreed : "PROBLEMS: " + anomalies);
        }
    }

    static Result check(PontoonClient admin, List<String> partitions, int replicas, Duration timeout) {
        List<String> agreed = new ArrayList<>();
        List<String> anomalies = new ArrayList<>();
        for (String partition : partitions) {
            Verdict v = checkOne(admin, partition, replicas, System.nanoTime() + timeout.toNanos());
            (v.agreed() ? agreed : anomalies).add(v.text());
        }
        return new Result(agreed, anomalies);
    }

    /** What one set of answers says: agreement, divergence, or nothing yet ({@code settled} false: ask again). */
    record Verdict(boolean settled, boolean agreed, String text) {
    }

    /** Judges one round of answers: replicas at one applied index must have one hash. */
    static Verdict judge(String partition, List<GetReplicaDigestResponse> digests, int replicas) {
        boolean oneIndex = digests.size() == replicas
                && digests.stream().map(GetReplicaDigestResponse::getAppliedIndex).distinct().count() == 1;
        if (!oneIndex) return new Verdict(false, false, describe(digests));
        boolean oneHash = digests.stream().map(GetReplicaDigestResponse::getSha256).distinct().count() == 1;
        return oneHash
                ? new Verdict(true, true, "partition " + partition + ": " + replicas + " replicas agree at index "
                + digests.get(0).getAppliedIndex() + " (sha256 " + digests.get(0).getSha256().substring(0, 12) + "…)")
                : new Verdict(true, false, "replicas of partition " + partition + " DIVERGE at one applied index: " + describe(digests));
    }

    /** Asks until the replicas are at one applied index (leaders keep proposing Ticks), then judges. */
    private static Verdict checkOne(PontoonClient admin, String partition, int replicas, long deadlineNanos) {
        String last = "no answer";
        while (System.nanoTime() < deadlineNanos) {
            try {
                Verdict v = judge(partition, admin.replicaDigests(partition), replicas);
                if (v.settled()) return v;
                last = v.text();
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            Cluster.sleep(50);
        }
        return new Verdict(true, false, "replicas of partition " + partition + " never reached one applied index (last: " + last + ")");
    }

    private static String describe(List<GetReplicaDigestResponse> digests) {
        return digests.stream().map(d -> d.getNodeId() + "@" + d.getAppliedIndex() + "=" + d.getSha256().substring(0, 12))
                .collect(Collectors.joining(", "));
    }
}
