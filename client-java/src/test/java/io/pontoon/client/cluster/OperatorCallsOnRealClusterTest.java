package io.pontoon.client.cluster;

import io.grpc.Status;
import io.pontoon.api.v1.GetReplicaDigestResponse;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;
import io.pontoon.client.cli.PontoonCli;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.pontoon.client.cluster.CliRun.cli;
import static org.junit.jupiter.api.Assertions.*;

/** The operator calls on a real 3-node cluster: replica digests agree, leadership moves where it is told. */
class OperatorCallsOnRealClusterTest {
    @TempDir
    Path dir;

    @Test
    void replicasAtTheSameAppliedIndexReportTheSameDigestAndLeadershipMovesToTheNamedNode() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, 1, Map.of());
             PontoonClient client = PontoonClient.builder().bootstrap(cluster.clientAddress("n1")).build()) {
            cluster.awaitLeaders(1, 30_000);
            String queue = client.createQueue("digests");
            for (int i = 0; i < 20; i++) client.sendMessage(queue, "m" + i);
            String partition = client.lookupQueue("digests");

            List<GetReplicaDigestResponse>[] last = new List[1];
            TestCluster.await(() -> {
                last[0] = client.replicaDigests(partition);
                return last[0].stream().map(GetReplicaDigestResponse::getAppliedIndex).distinct().count() == 1;
            }, 20_000, "all three replicas at one applied index");
            assertEquals(3, last[0].size());
            assertEquals(1, last[0].stream().map(GetReplicaDigestResponse::getSha256).distinct().count(), last[0].toString());
            assertEquals(64, last[0].get(0).getSha256().length());

            ReplicaGroupId group = ReplicaGroupId.partition(Integer.parseInt(partition));
            String leader = cluster.leaderOf(group).orElseThrow();
            String target = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
            CliRun moved = cli(cluster.clientAddress(leader), "transfer-leader", partition, target);
            assertEquals(PontoonCli.EXIT_OK, moved.code(), moved.err());
            assertTrue(moved.out().startsWith("partition " + partition + " led by " + target), moved.out());
            assertEquals(target, cluster.leaderOf(group).orElseThrow());
            client.sendMessage(queue, "after the transfer");
        }
    }

    @Test
    void unknownPartitionsAndNodesAreInvalidParameterValues() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 1, 1, Map.of());
             PontoonClient client = PontoonClient.builder().bootstrap(cluster.clientAddress("n1")).build()) {
            cluster.awaitLeaders(1, 30_000);
            PontoonException noPartition = assertThrows(PontoonException.class, () -> client.replicaDigests("7"));
            assertEquals(Status.Code.INVALID_ARGUMENT, noPartition.statusCode());
            assertEquals("InvalidParameterValue", noPartition.awsCode());
            PontoonException noNode = assertThrows(PontoonException.class, () -> client.transferLeadership("0", "n9"));
            assertEquals("InvalidParameterValue", noNode.awsCode());
            assertEquals(PontoonCli.EXIT_ERROR, cli(cluster.clientAddress("n1"), "transfer-leader", "controller", "n9").code());
            assertEquals(1, client.replicaDigests("controller").size());
        }
    }
}
