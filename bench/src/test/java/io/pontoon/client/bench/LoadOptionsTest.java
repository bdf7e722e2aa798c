package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadOptionsTest {

    @Test
    void defaults() {
        LoadOptions o = LoadOptions.parse();
        assertEquals(List.of("127.0.0.1:7001"), o.endpoints());
        assertEquals("pontoon-bench", o.queue());
        assertEquals(1, o.queues());
        assertEquals(1, o.producers());
        assertEquals(0, o.consumers());
        assertEquals(1024, o.size());
        assertEquals(10, o.batch());
        assertEquals(8, o.inFlight());
        assertEquals(30, o.durationSeconds());
        assertEquals(5, o.warmupSeconds());
        assertEquals(0, o.rate());
        assertEquals(LoadOptions.Mode.SEND, o.mode());
        assertEquals(1, o.waitTimeSeconds());
        assertNull(o.jsonFile());
        assertFalse(o.help());
        assertEquals(List.of("pontoon-bench"), o.queueNames());
    }

    @Test
    void allOptionsBothSyntaxes() {
        LoadOptions o = LoadOptions.parse("--endpoint", "127.0.0.1:7001", "--endpoint=127.0.0.1:7002,127.0.0.1:7003",
                "--queue", "q", "--queues=3", "--producers", "4", "--consumers=2", "--size", "2048", "--batch", "5",
                "--in-flight", "16", "--duration", "60", "--warmup", "0", "--rate", "50_000", "--mode", "send-receive",
                "--wait-time", "20", "--json", "/tmp/out.json");
        assertEquals(List.of("127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"), o.endpoints());
        assertEquals(List.of("q-0", "q-1", "q-2"), o.queueNames());
        assertEquals(4, o.producers());
        assertEquals(2, o.consumers());
        assertEquals(2048, o.size());
        assertEquals(5, o.batch());
        assertEquals(16, o.inFlight());
        assertEquals(60, o.durationSeconds());
        assertEquals(0, o.warmupSeconds());
        assertEquals(50_000, o.rate());
        assertEquals(LoadOptions.Mode.SEND_RECEIVE, o.mode());
        assertEquals(20, o.waitTimeSeconds());
        assertEquals("/tmp/out.json", o.jsonFile());
    }

    @Test
    void sendReceiveDefaultsConsumersToProducers() {
        assertEquals(3, LoadOptions.parse("--mode", "send-receive", "--producers", "3").consumers());
    }

    @Test
    void latencyModeForcesOneMessageAtATime() {
        LoadOptions o = LoadOptions.parse("--mode", "latency");
        assertEquals(1, o.producers());
        assertEquals(1, o.batch());
        assertEquals(1, o.inFlight());
        assertEquals(100, o.rate());
        assertEquals(0, o.consumers());
        assertEquals(250, LoadOptions.parse("--mode=latency", "--rate=250").rate());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--mode", "latency", "--producers", "2"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--mode", "latency", "--batch", "10"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--mode", "latency", "--rate", "0"));
    }

    @Test
    void standardQueueByDefault() {
        LoadOptions o = LoadOptions.parse();
        assertFalse(o.fifo());
        assertEquals(0, o.groups());
        assertEquals(Map.of(), o.queueAttributes());
        assertEquals("standard", o.queueTypeDescription());
        assertEquals("3xq-N", LoadOptions.parse("--queue", "q", "--queues", "3").queueNamesDescription());
    }

    @Test
    void fifoFlagAppendsTheSuffixAndDefaultsToOneGroup() {
        LoadOptions o = LoadOptions.parse("--fifo", "--queue", "bench");
        assertTrue(o.fifo());
        assertEquals("bench.fifo", o.queue());
        assertEquals(List.of("bench.fifo"), o.queueNames());
        assertEquals(1, o.groups());
        assertEquals(Map.of("FifoQueue", "true"), o.queueAttributes());
        assertEquals("fifo, 1 group", o.queueTypeDescription());
        // a flag: the next argument is not its value
        assertEquals(4, LoadOptions.parse("--fifo", "--producers", "4").producers());
        assertEquals("pontoon-bench.fifo", LoadOptions.parse("--fifo=true").queue());
        assertFalse(LoadOptions.parse("--fifo=false").fifo());
    }

    @Test
    void fifoQueueNameImpliesFifo() {
        LoadOptions o = LoadOptions.parse("--queue", "orders.fifo", "--groups", "100", "--queues", "2");
        assertTrue(o.fifo());
        assertEquals("orders.fifo", o.queue());
        assertEquals(100, o.groups());
        assertEquals(List.of("orders-0.fifo", "orders-1.fifo"), o.queueNames());
        assertEquals("2xorders-N.fifo", o.queueNamesDescription());
        assertEquals("fifo, 100 groups", o.queueTypeDescription());
        assertEquals(Map.of("FifoQueue", "true", "DeduplicationScope", "messageGroup",
                "FifoThroughputLimit", "perMessageGroupId"), o.queueAttributes());
        assertEquals("q.fifo", LoadOptions.parse("--fifo", "--queue", "q.fifo").queue());
    }

    @Test
    void fifoWorksInEveryMode() {
        LoadOptions e2e = LoadOptions.parse("--fifo", "--groups", "10_000", "--mode", "send-receive", "--producers", "2");
        assertEquals(10_000, e2e.groups());
        assertEquals(2, e2e.consumers());
        LoadOptions lat = LoadOptions.parse("--fifo", "--mode", "latency");
        assertTrue(lat.fifo());
        assertEquals(1, lat.batch());
    }

    @Test
    void help() {
        assertTrue(LoadOptions.parse("--help").help());
        String usage = LoadOptions.usage(); // generated by picocli from the same options parse reads
        assertTrue(usage.contains("--in-flight=W"), usage);
        assertTrue(usage.contains("--fifo"), usage);
        assertTrue(usage.contains("--groups=N"), usage);
    }

    @Test
    void rejectsInvalidInput() {
        assertError("Unknown options: '--bogus'", "--bogus", "1");
        assertError("--batch must be in 1..10", "--batch", "11");
        assertError("--batch must be in 1..10", "--batch", "0");
        assertError("--size must be an integer", "--size", "1k");
        assertError("Missing required parameter for option '--producers'", "--producers");
        assertError("--mode must be", "--mode", "fast");
        assertError("--wait-time must be in 0..20", "--wait-time", "21");
        assertError("--endpoint", "--endpoint", "localhost");
        assertError("--endpoint", "--endpoint", "localhost:99999");
        assertError("invalid queue name", "--queue", "bad name");
        assertError("invalid queue name", "--queue", "q.fifo.fifo");
        assertError("--groups needs a FIFO queue", "--groups", "10");
        assertError("--groups must be in 1..10000", "--fifo", "--groups", "10001");
        assertError("--groups must be in 1..10000", "--fifo", "--groups", "0");
        assertError("--fifo takes no value", "--fifo=yes");
        assertError("invalid queue name", "--fifo", "--queue", "x".repeat(76));
        assertError("Unmatched argument", "stray");
        assertError("--mode send runs no consumers", "--consumers", "2");
        assertError("needs --consumers >= 1", "--mode", "send-receive", "--consumers", "0");
        assertError("1 MiB", "--size", "262144", "--batch", "10");
        assertError("--rate must be in", "--rate", "-1");
    }

    private static void assertError(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
