package io.pontoon.client.cli;

import io.pontoon.api.v1.GetReplicaDigestResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicaVerdictTest {
    private static GetReplicaDigestResponse d(String node, long applied, String sha) {
        return GetReplicaDigestResponse.newBuilder().setNodeId(node).setAppliedIndex(applied).setSha256(sha).build();
    }

    @Test
    void replicasAtOneIndexWithOneHashAgree() {
        assertEquals("in agreement: all 3 replicas at applied index 9",
                ReplicaVerdict.of(List.of(d("n1", 9, "a"), d("n2", 9, "a"), d("n3", 9, "a"))));
    }

    @Test
    void aReplicaBehindIsCatchingUpNotDiverged() {
        assertEquals("not comparable yet: n2 still catching up to applied index 9 (run again; writes in flight also cause this)",
                ReplicaVerdict.of(List.of(d("n1", 9, "a"), d("n2", 7, "b"), d("n3", 9, "a"))));
    }

    @Test
    void differentHashesAtOneIndexAreADivergence() {
        assertEquals("DIVERGED: replicas at applied index [9] hold different state",
                ReplicaVerdict.of(List.of(d("n1", 9, "a"), d("n2", 9, "b"), d("n3", 9, "a"))));
    }
}
