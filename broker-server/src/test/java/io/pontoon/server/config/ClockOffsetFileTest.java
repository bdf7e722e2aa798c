package io.pontoon.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chaos harness's clock seam: the offset follows the file, and a bad write never moves the clock. */
class ClockOffsetFileTest {
    @TempDir
    Path dir;

    @Test
    void theOffsetFollowsTheFileAndAMissingFileMeansZero() throws Exception {
        Path f = dir.resolve("clock");
        ClockOffsetFile clock = new ClockOffsetFile(f);
        clock.poll();
        assertEquals(0, clock.offsetMs());
        Files.writeString(f, "1500\n");
        clock.poll();
        assertEquals(1500, clock.offsetMs());
        Files.writeString(f, "-250");
        clock.poll();
        assertEquals(-250, clock.offsetMs());
        Files.delete(f);
        clock.poll();
        assertEquals(0, clock.offsetMs());
    }

    @Test
    void anUnreadableValueKeepsThePreviousOffset() throws Exception {
        Path f = dir.resolve("clock");
        ClockOffsetFile clock = new ClockOffsetFile(f);
        Files.writeString(f, "700");
        clock.poll();
        Files.writeString(f, "soon");
        clock.poll();
        assertEquals(700, clock.offsetMs());
    }
}
