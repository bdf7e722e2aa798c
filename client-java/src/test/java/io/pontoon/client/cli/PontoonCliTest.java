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
        return runWithInput(new byte[0], args);
    }

    private Run runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PontoonCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), fake.clientBuilder(), new java.io.ByteArrayInputStream(stdin));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyComesFromAFileOrStandardInputUpTo1MiB(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertEquals(0, run("--endpoint", fake.endpoint(), "create-queue", "files").code());
        String big = "b".repeat(PontoonCli.MAX_BODY_BYTES);
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("body.txt"), big);
        assertEquals(0, run("send", "files", "--body-file", file.toString()).code());
        assertEquals(0, runWithInput("from stdin".getBytes(StandardCharsets.UTF_8), "send", "files", "-").code());
        assertEquals(0, runWithInput("also stdin".getBytes(StandardCharsets.UTF_8), "send", "files", "--body-file", "-").code());
        Run received = run("receive", "files", "--max", "10");
        assertTrue(received.out().contains("Body: " + big), "a body of exactly 1 MiB goes through");
        assertTrue(received.out().contains("Body: from stdin") && received.out().contains("Body: also stdin"));
        java.nio.file.Path tooBig = java.nio.file.Files.writeString(dir.resolve("big.txt"), big + "x");
        Run refused = run("send", "files", "--body-file", tooBig.toString());
        assertEquals(PontoonCli.EXIT_USAGE, refused.code());
        assertTrue(refused.err().contains("larger than the 1048576-byte limit"), refused.err());
        assertEquals(PontoonCli.EXIT_USAGE, run("send", "files", "both", "--body-file", file.toString()).code(), "one body source only");
        assertEquals(PontoonCli.EXIT_USAGE, runWithInput(new byte[]{(byte) 0xff, (byte) 0xfe}, "send", "files", "-").code(), "UTF-8 only");
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
