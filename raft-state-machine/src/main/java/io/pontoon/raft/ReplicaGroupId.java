package io.pontoon.raft;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A Raft group of the cluster: the controller, or one partition. The Ratis group id is derived from it
 * deterministically, so every node names the same group the same way without coordination.
 */
public record ReplicaGroupId(Kind kind, int number) {

    public enum Kind { CONTROLLER, PARTITION }

    public static final ReplicaGroupId CONTROLLER = new ReplicaGroupId(Kind.CONTROLLER, 0);

    public static ReplicaGroupId partition(int number) {
        return new ReplicaGroupId(Kind.PARTITION, number);
    }

    public ReplicaGroupId {
        if (number < 0) {
            throw new IllegalArgumentException("group number must be >= 0: " + number);
        }
    }

    UUID uuid() {
        return UUID.nameUUIDFromBytes(("pontoon/" + kind.name().toLowerCase() + "/" + number).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return kind == Kind.CONTROLLER ? "controller" : "partition-" + number;
    }
}
