package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

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
    void help() {
        assertTrue(LoadOptions.parse("--help").help());
        assertTrue(LoadOptions.USAGE.contains("--in-flight"));
    }

    @Test
    void rejectsInvalidInput() {
        assertError("unknown option --bogus", "--bogus", "1");
        assertError("--batch must be in 1..10", "--batch", "11");
        assertError("--batch must be in 1..10", "--batch", "0");
        assertError("--size must be an integer", "--size", "1k");
        assertError("--producers needs a value", "--producers");
        assertError("--mode must be", "--mode", "fast");
        assertError("--wait-time must be in 0..20", "--wait-time", "21");
        assertError("--endpoint", "--endpoint", "localhost");
        assertError("--endpoint", "--endpoint", "localhost:99999");
        assertError("invalid queue name", "--queue", "bad name");
        assertError("FIFO", "--queue", "q.fifo");
        assertError("unexpected argument", "stray");
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
