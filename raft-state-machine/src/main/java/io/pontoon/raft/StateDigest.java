package io.pontoon.raft;

/**
 * A replica's applied state in one hash: {@code sha256} over every key and value, taken at {@code appliedIndex}.
 * Apply is deterministic, so two replicas of a group at the same index must report the same hash; the chaos
 * harness compares them after every run (etcd's HashKV check).
 */
public record StateDigest(long appliedIndex, String sha256) {
}
