package io.pontoon.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit log: one JSON line per event, appended; rotated by size so that it never holds more than its bound. */
class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditLog.Event event(int i) {
        return new AuditLog.Event(Instant.parse("2026-12-08T02:00:00Z").plusSeconds(i), "AKIAEXAMPLE" + i, "/127.0.0.1:5000" + (i % 10),
                "pontoon.v1.Sqs/CreateQueue", "q\"uoted-" + i, i % 2 == 0 ? "OK" : "INVALID_ARGUMENT:InvalidParameterValue");
    }

    @Test
    void eachEventIsOneJsonLineWithWhoWhatWhereAndResult() throws IOException {
        try (AuditLog log = new AuditLog(dir, 64 << 10, 3)) {
            log.record(event(1));
            log.record(event(2));
        }
        List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE));
        assertEquals(2, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("2026-12-08T02:00:01Z", first.get("time").asText());
        assertEquals("AKIAEXAMPLE1", first.get("who").asText());
        assertEquals("/127.0.0.1:50001", first.get("from").asText());
        assertEquals("pontoon.v1.Sqs/CreateQueue", first.get("action").asText());
        assertEquals("q\"uoted-1", first.get("resource").asText(), "resource names are JSON-escaped");
        assertEquals("INVALID_ARGUMENT:InvalidParameterValue", first.get("result").asText());
    }

    @Test
    void aFieldTheCallerChoseIsClippedSoThatOneLineStaysSmall() throws IOException {
        String huge = "q".repeat(1 << 20);
        byte[] line = AuditLog.line(new AuditLog.Event(Instant.EPOCH, huge, "/1.2.3.4:5", "pontoon.v1.Sqs/CreateQueue", huge, "OK"));
        assertTrue(line.length < 1024, "a 1 MiB resource name makes a line of " + line.length + " bytes");
        assertTrue(new String(line, java.nio.charset.StandardCharsets.UTF_8).contains("q".repeat(AuditLog.MAX_FIELD_CHARS) + "..."));
    }

    @Test
    void aReopenedLogAppendsToWhatIsThere() throws IOException {
        try (AuditLog log = new AuditLog(dir, 64 << 10, 3)) {
            log.record(event(1));
        }
        try (AuditLog log = new AuditLog(dir, 64 << 10, 3)) {
            log.record(event(2));
        }
        assertEquals(2, Files.readAllLines(dir.resolve(AuditLog.FILE)).size());
    }

    @Test
    void rotationKeepsAtMostMaxFilesOfAtMostMaxFileBytesAndDropsTheOldest() throws IOException {
        long maxFileBytes = 64 << 10;
        int lineBytes = AuditLog.line(event(0)).length;
        int events = (int) (5 * maxFileBytes / lineBytes);
        try (AuditLog log = new AuditLog(dir, maxFileBytes, 3)) {
            for (int i = 0; i < events; i++) {
                log.record(event(i));
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertEquals(List.of(dir.resolve("audit.log"), dir.resolve("audit.log.1"), dir.resolve("audit.log.2")), files);
        for (Path f : files) {
            assertTrue(Files.size(f) <= maxFileBytes, f + " is " + Files.size(f) + " bytes");
        }
        String newest = Files.readAllLines(dir.resolve("audit.log")).get(Files.readAllLines(dir.resolve("audit.log")).size() - 1);
        assertTrue(newest.contains("AKIAEXAMPLE" + (events - 1)), newest);
        String oldestKept = Files.readAllLines(dir.resolve("audit.log.2")).get(0);
        assertFalse(oldestKept.contains("\"AKIAEXAMPLE0\""), "the first events were rotated out: " + oldestKept);
    }
}
