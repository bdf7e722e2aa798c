package io.pontoon.client.bench;

import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The load tool's --aws-endpoint mode runs its workload with the AWS SDK through a real node's HTTP gateway. */
class LoadToolThroughGatewayTest {

    @Test
    void anEndToEndRunThroughTheGatewaySendsReceivesAndDeletesWithoutErrors(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1, 1)) {
            cluster.awaitLeaders(1, 30_000);
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            LoadOptions opts = LoadOptions.parse("--endpoint", cluster.clientAddress("n1"), "--aws-endpoint", cluster.gatewayUri("n1").toString(),
                    "--mode", "send-receive", "--queue", "load-through-gateway", "--producers", "1", "--in-flight", "2",
                    "--consumers", "2", "--warmup", "0", "--duration", "3", "--rate", "200", "--json", dir.resolve("result.json").toString());
            LoadTool.Summary summary = new LoadTool(opts, new PrintStream(text, true, StandardCharsets.UTF_8)).run();
            String output = text.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains("through the AWS SDK"), output);
            assertTrue(summary.s.sentMsgs.sum() > 100, output);
            assertTrue(summary.s.deletedMsgs.sum() > 0, output);
            assertEquals(0, summary.totalErrors(), output);
            assertTrue(summary.s.endToEndLatency.count() > 0, output);
            String plot = java.nio.file.Files.readString(dir.resolve("result-latency.svg"));
            assertTrue(plot.contains("<title>SendMessageBatch</title>") && plot.contains("<title>end-to-end</title>"),
                    "the HDR latency plot sits beside the JSON summary");
        }
    }

    @Test
    void theStreamToolWritesItsLatencyPlotBesideItsJson(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1, 1)) {
            cluster.awaitLeaders(1, 30_000);
            Path json = dir.resolve("stream.json");
            int rc = new picocli.CommandLine(new StreamLoadTool(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                    .execute("--endpoint", cluster.clientAddress("n1"), "--stream", "plotted", "--shards", "1", "--producers", "1",
                            "--batch", "10", "--rate", "200", "--warmup", "0", "--duration", "2", "--json", json.toString());
            assertEquals(0, rc);
            assertTrue(java.nio.file.Files.readString(dir.resolve("stream-latency.svg")).contains("<title>PutRecords</title>"));
        }
    }

    @Test
    void anAwsEndpointMustBeAnHttpUrlAndDrivesStandardQueuesOnly() {
        assertEquals(java.util.List.of("http://127.0.0.1:7301", "http://127.0.0.1:7302"),
                LoadOptions.parse("--aws-endpoint", "http://127.0.0.1:7301,http://127.0.0.1:7302").awsEndpoints());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--aws-endpoint", "127.0.0.1:7301"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--aws-endpoint", "http://127.0.0.1:7301", "--fifo"));
    }
}
