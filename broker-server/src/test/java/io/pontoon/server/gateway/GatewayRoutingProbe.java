package io.pontoon.server.gateway;

import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.TestCluster;

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
     * @param warm  a call through a node's gateway that makes it learn the resource's placement
     * @param call  the call measured, {@code times} times through a node's gateway (the argument: the node id)
     * @param action the gRPC action {@code call} is counted under
     */
    static void servedByTheLeader(TestCluster cluster, ReplicaGroupId group, Consumer<String> warm, Consumer<String> call, int times, String action) {
        for (int attempt = 1; ; attempt++) {
            String leader = cluster.leaderOf(group).orElseThrow();
            String follower = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
            warm.accept(follower);
            TestCluster.await(() -> cluster.node(follower).raft().status(group).leaderNodeId() != null, 10_000, "the follower to know the leader");
            double followerBefore = served(cluster, follower, action);
            double leaderBefore = served(cluster, leader, action);
            for (int i = 0; i < times; i++) {
                call.accept(follower);
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
