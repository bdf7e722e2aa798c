package io.pontoon.chaos;

import io.pontoon.api.v1.GetReplicaDigestResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Replicas at one applied index must have one hash; at different indexes there is nothing to judge yet. */
class ReplicaCheckTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static GetReplicaDigestResponse d(String node, long index, String sha) {
        return GetReplicaDigestResponse.newBuilder().setNodeId(node).setAppliedIndex(index).setSha256(sha).build();
    }

    @Test
    void oneHashAtOneIndexIsAgreement() {
        ReplicaCheck.Verdict v = ReplicaCheck.judge("0", List.of(d("n1", 7, A), d("n2", 7, A), d("n3", 7, A)), 3);
        assertTrue(v.settled() && v.agreed(), v.toString());
    }

    @Test
    void twoHashesAtOneIndexIsDivergence() {
        ReplicaCheck.Verdict v = ReplicaCheck.judge("0", List.of(d("n1", 7, A), d("n2", 7, B), d("n3", 7, A)), 3);
        assertTrue(v.settled(), v.toString());
        assertFalse(v.agreed(), v.toString());
        assertTrue(v.text().contains("DIVERGE"), v.text());
    }

    @Test
    void differentIndexesOrAMissingReplicaSettleNothing() {
        assertFalse(ReplicaCheck.judge("0", List.of(d("n1", 7, A), d("n2", 8, B), d("n3", 7, A)), 3).settled());
        assertFalse(ReplicaCheck.judge("0", List.of(d("n1", 7, A), d("n2", 7, A)), 3).settled());
    }
}
