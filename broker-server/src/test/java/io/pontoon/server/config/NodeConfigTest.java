package io.pontoon.server.config;

import io.pontoon.server.BrokerNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/** A node refuses to start on a bad configuration, and says which setting is wrong. */
class NodeConfigTest {
    private static final String PEERS = "n1@127.0.0.1:7101:7001,n2@127.0.0.1:7102:7002,n3@127.0.0.1:7103:7003";

    private static Properties valid() {
        Properties p = new Properties();
        p.setProperty("node.id", "n1");
        p.setProperty("data.dir", "/tmp/pontoon-n1");
        p.setProperty("peers", PEERS);
        return p;
    }

    private static String errorFor(String key, String value) {
        Properties p = valid();
        p.setProperty(key, value);
        return assertThrows(ConfigException.class, () -> ConfigLoader.fromProperties(p)).getMessage();
    }

    @Test
    void theAwsGatewayIsOffUntilItHasAPortAndRequiresSignaturesOnlyWithAuthModeSigv4() throws Exception {
        assertTrue(ConfigLoader.fromProperties(valid()).gateway().isEmpty());
        Properties p = valid();
        p.setProperty("gateway.port", "7301");
        var gateway = ConfigLoader.fromProperties(p).gateway().orElseThrow();
        assertEquals(7301, gateway.port());
        assertEquals("127.0.0.1", gateway.host());
        assertTrue(gateway.accessKeys().isEmpty(), "auth.mode=none by default");

        java.nio.file.Path keys = java.nio.file.Files.createTempFile("pontoon-keys", ".properties");
        java.nio.file.Files.writeString(keys, "AKIAEXAMPLEKEY00001=a-secret-of-some-length\n");
        p.setProperty("auth.mode", "sigv4");
        p.setProperty("auth.keys.file", keys.toString());
        assertEquals(Map.of("AKIAEXAMPLEKEY00001", "a-secret-of-some-length"), ConfigLoader.fromProperties(p).gateway().orElseThrow().accessKeys());

        assertTrue(errorFor("auth.mode", "sigv4").startsWith("auth.keys.file:"));
        assertTrue(errorFor("auth.mode", "basic").startsWith("auth.mode:"));
        for (String[] bad : new String[][]{{"gateway.max.request.bytes", "1000"}, {"gateway.call.timeout.ms", "20000"},
                {"gateway.advertised.url", "http://host/with/path"}, {"gateway.max.connections", "0"}}) {
            Properties q = valid();
            q.setProperty("gateway.port", "7301");
            q.setProperty(bad[0], bad[1]);
            assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromProperties(q)).getMessage().contains(bad[0]), bad[0]);
        }
        java.nio.file.Files.delete(keys);
    }

    @Test
    void tlsIsOffByDefaultAndWhenOnNeedsACertificateAKeyAndTheClusterCa() {
        assertTrue(ConfigLoader.fromProperties(valid()).tls().isEmpty());
        assertTrue(errorFor("tls.cert.file", "/etc/pontoon/n1.pem").startsWith("tls.cert.file: set, but tls.enabled is false"));
        assertTrue(errorFor("tls.enabled", "true").startsWith("tls.cert.file, tls.key.file and tls.ca.file"));
        Properties p = valid();
        p.setProperty("tls.enabled", "true");
        p.setProperty("tls.cert.file", "/etc/pontoon/n1.pem");
        p.setProperty("tls.key.file", "/etc/pontoon/n1-key.pem");
        p.setProperty("tls.ca.file", "/etc/pontoon/ca.pem");
        var tls = ConfigLoader.fromProperties(p).tls().orElseThrow();
        assertEquals(java.nio.file.Path.of("/etc/pontoon/ca.pem"), tls.caFile());
        assertEquals(60_000, tls.reloadIntervalMs());
        p.setProperty("tls.reload.interval.ms", "10");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromProperties(p)).getMessage().startsWith("tls.reload.interval.ms"));
    }

    @Test
    void arnsShowUsEast1AndAccount000000000000UnlessARegionAndA12DigitAccountIdAreConfigured() {
        assertEquals(new io.pontoon.api.AwsIdentity("us-east-1", "000000000000"), ConfigLoader.fromProperties(valid()).identity());
        Properties p = valid();
        p.setProperty("aws.region", "eu-west-1");
        p.setProperty("aws.account.id", "123456789012");
        assertEquals(new io.pontoon.api.AwsIdentity("eu-west-1", "123456789012"), ConfigLoader.fromProperties(p).identity());
        assertTrue(errorFor("aws.region", "EU West").startsWith("aws.region:"));
        assertTrue(errorFor("aws.region", "").startsWith("aws.region:"));
        assertTrue(errorFor("aws.account.id", "12345").startsWith("aws.account.id:"));
        assertTrue(errorFor("aws.account.id", "12345678901a").startsWith("aws.account.id:"));
    }

    @Test
    void defaultsGiveThreePartitionsPerNode() {
        NodeConfig c = ConfigLoader.fromProperties(valid());
        assertEquals(9, c.partitions());
        assertEquals("127.0.0.1:7001", c.self().clientAddress());
    }

    @Test
    void aHighThroughputFifoQueueSpansOnePartitionPerNodeUnlessConfigured() {
        assertEquals(3, ConfigLoader.fromProperties(valid()).fifoShards());
        Properties p = valid();
        p.setProperty("fifo.high.throughput.partitions", "9");
        assertEquals(9, ConfigLoader.fromProperties(p).fifoShards());
        assertTrue(errorFor("fifo.high.throughput.partitions", "10").startsWith("fifo.high.throughput.partitions:"));
    }

    @Test
    void theRaftServerListensOnItsPeersPortUnlessAListenPortIsGiven() {
        assertEquals(7101, BrokerNode.raftConfig(ConfigLoader.fromProperties(valid())).listenPort());
        Properties p = valid();
        p.setProperty("raft.listen.port", "7201");
        NodeConfig c = ConfigLoader.fromProperties(p);
        assertEquals(7201, BrokerNode.raftConfig(c).listenPort());
        assertEquals(7101, BrokerNode.raftConfig(c).self().port(), "peers still reach it at the advertised port");
        assertTrue(errorFor("raft.listen.port", "70000").startsWith("raft.listen.port:"));
    }

    @Test
    void everySettingIsCheckedAgainstTheLimitItFeedsAndTheErrorNamesIt() {
        assertTrue(errorFor("group.commit.max.commands", "1001").startsWith("group.commit.max.commands:"),
                "a log entry carries at most 1000 commands");
        assertTrue(errorFor("group.commit.max.bytes", String.valueOf(1 << 20)).startsWith("group.commit.max.bytes:"),
                "an entry must hold the largest request, a 1 MiB batch");
        assertTrue(errorFor("group.commit.max.queued.bytes", String.valueOf(1 << 20)).startsWith("group.commit.max.queued.bytes:"));
        assertTrue(errorFor("node.request.buffer.bytes", String.valueOf(1 << 20)).startsWith("node.request.buffer.bytes:"));
        assertTrue(errorFor("node.response.buffer.bytes", String.valueOf(8 << 20)).startsWith("node.response.buffer.bytes:"),
                "one receive of 10 messages of 1 MiB must fit");
        assertTrue(errorFor("raft.log.cache.bytes", String.valueOf(1 << 20)).startsWith("raft.log.cache.bytes:"),
                "the cache holds at least the open segment");
        assertTrue(errorFor("queue.max.in.flight", "10000001").startsWith("queue.max.in.flight:"));
        assertTrue(errorFor("queue.recreate.delay.ms", "-1").startsWith("queue.recreate.delay.ms:"));
    }

    @Test
    void aNodeRefusesAHeapItsSettingsWouldOverrun() {
        NodeConfig defaults = ConfigLoader.fromProperties(valid());
        defaults.requireHeap(512L << 20); // scripts/local-cluster's heap holds the defaults
        ConfigException e = assertThrows(ConfigException.class, () -> defaults.requireHeap(256L << 20));
        assertTrue(e.getMessage().startsWith("heap:"), e.getMessage());
        assertTrue(e.getMessage().contains("raft.log.cache.bytes"), "says what to change: " + e.getMessage());
    }

    @Test
    void nodeMustBeAmongItsPeers() {
        assertTrue(errorFor("node.id", "n9").startsWith("node.id:"));
    }

    @Test
    void malformedPeerIsNamed() {
        assertTrue(errorFor("peers", "n1@127.0.0.1:7101").contains("id@host:raftPort:clientPort"));
    }

    @Test
    void twoNodeClustersAreRefused() {
        Properties p = valid();
        p.setProperty("peers", "n1@127.0.0.1:7101:7001,n2@127.0.0.1:7102:7002");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.fromProperties(p)).getMessage().contains("1, 3 or 5"));
    }

    @Test
    void electionTimeoutMaxMustExceedMin() {
        assertTrue(errorFor("raft.election.timeout.max.ms", "500").startsWith("raft.election.timeout.max.ms:"));
    }

    @Test
    void writeBuffersMustFitInTheBlockCache() {
        assertTrue(errorFor("rocksdb.write.buffer.bytes", String.valueOf(1L << 30)).startsWith("rocksdb.write.buffer.bytes:"));
    }

    @Test
    void nonNumbersAreNamed() {
        assertEquals("partitions: 'many' is not a number", errorFor("partitions", "many"));
    }

    @Test
    void unknownKeysAreRefusedSoTyposAreNotSilentlyIgnored() {
        assertEquals("partitons: unknown setting (see docs/configuration.md)", errorFor("partitons", "4"));
    }

    @Test
    void valuesBeyondIntRangeAreRefused() {
        assertTrue(errorFor("tick.interval.ms", "99999999999").contains("out of range"));
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws Exception {
        NodeConfig c = ConfigLoader.load(new String[] {"--node.id=n2", "--partitions=4"},
                Map.of("PONTOON_NODE_ID", "n1", "PONTOON_DATA_DIR", "/tmp/x", "PONTOON_PEERS", PEERS, "PONTOON_PARTITIONS", "5"));
        assertEquals("n2", c.nodeId());
        assertEquals(4, c.partitions());
        assertEquals("/tmp/x", c.dataDir().toString());
    }
}
