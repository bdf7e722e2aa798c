package io.pontoon.client.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class PontoonCliTest {
    io.pontoon.client.FakeClusterAccess fake;

    @BeforeEach
    void setUp() throws Exception {
        fake = new io.pontoon.client.FakeClusterAccess();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PontoonCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), fake.clientBuilder());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void endToEndAgainstFake() {
        Run r = run("--endpoint", fake.endpoint(), "create-queue", "jobs");
        assertEquals(0, r.code(), r.err());
        assertEquals("pontoon://queue/jobs", r.out().strip());

        assertEquals(0, run("send", "jobs", "hello world").code());
        assertTrue(run("list-queues").out().contains("pontoon://queue/jobs"));
        assertTrue(run("attributes", "jobs").out().contains("ApproximateNumberOfMessages: 1"));

        Run recv = run("receive", "pontoon://queue/jobs", "--max", "5", "--wait", "1", "--delete");
        assertEquals(0, recv.code(), recv.err());
        assertTrue(recv.out().contains("Body: hello world"));
        assertTrue(recv.out().contains("(deleted)"));
        assertTrue(run("receive", "jobs").out().contains("(no messages)"));

        assertEquals(0, run("purge", "jobs").code());
        assertEquals(0, run("delete-queue", "jobs").code());
    }

    @Test
    void errorsPrintAwsCodeAndExitNonZero() {
        Run r = run("send", "missing", "x");
        assertEquals(PontoonCli.EXIT_ERROR, r.code());
        assertTrue(r.err().contains("AWS.SimpleQueueService.NonExistentQueue"), r.err());

        assertEquals(PontoonCli.EXIT_USAGE, run().code());
        assertEquals(PontoonCli.EXIT_USAGE, run("frobnicate").code());
        assertEquals(PontoonCli.EXIT_USAGE, run("receive", "jobs", "--max", "11").code());
        assertEquals(PontoonCli.EXIT_USAGE, run("send", "bad/name", "x").code());
        assertEquals(PontoonCli.EXIT_USAGE, run("--endpoint", "nohostport", "list-queues").code());
        assertEquals(PontoonCli.EXIT_OK, run("--help").code());
    }
}
