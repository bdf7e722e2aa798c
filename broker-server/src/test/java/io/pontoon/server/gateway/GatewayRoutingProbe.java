package io.pontoon.server.gateway;

import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.TestCluster;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks that calls through a follower's gateway are served by the partition leader's gRPC service: the follower's
 * own service never counts them (its request timer), the leader's counts them all.
 */
final class GatewayRoutingProbe {
    private GatewayRoutingProbe() {
    }

    /**
     * @param clients a client of n1's, n2's and n3's gateway, in that order
     * @param warm    a call through a gateway that makes its node learn the resource's placement
     * @param call    the call measured, {@code times} times through the follower's gateway
     * @param action  the gRPC action {@code call} is counted under
     */
    static <C> void servedByTheLeader(TestCluster cluster, ReplicaGroupId group, List<C> clients, Consumer<C> warm, Consumer<C> call,
                                      int times, String action) {
        for (int attempt = 1; ; attempt++) {
            String leader = cluster.leaderOf(group).orElseThrow();
            String follower = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
            C viaFollower = clients.get(Integer.parseInt(follower.substring(1)) - 1);
            warm.accept(viaFollower);
            TestCluster.await(() -> cluster.node(follower).raft().status(group).leaderNodeId() != null, 10_000, "the follower to know the leader");
            double followerBefore = served(cluster, follower, action);
            double leaderBefore = served(cluster, leader, action);
            for (int i = 0; i < times; i++) {
                call.accept(viaFollower);
            }
            if (!leader.equals(cluster.leaderOf(group).orElse(null)) && attempt < 3) {
                continue; // the leadership moved meanwhile: measure again
            }
            assertEquals(followerBefore, served(cluster, follower, action), "the follower's service served none of the " + action + " calls");
            assertTrue(served(cluster, leader, action) >= leaderBefore + times, "the leader's service served all " + times + " " + action + " calls");
            return;
        }
    }

    /** Calls of {@code action} this node's gRPC services have served (their request timer's count). */
    private static double served(TestCluster cluster, String node, String action) {
        return cluster.node(node).scrapeMetrics().lines()
                .filter(l -> l.startsWith("pontoon_requests_seconds_count{") && l.contains("action=\"" + action + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
