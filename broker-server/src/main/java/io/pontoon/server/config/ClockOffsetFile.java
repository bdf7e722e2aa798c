package io.pontoon.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A clock offset that a test changes while the node runs ({@code test.clock.offset.file}): the file holds one
 * integer, milliseconds to add to the node's clock. The chaos harness's clock nemesis writes it to make the
 * leader's clock jump or skew; {@code clock.offset.ms} is the static counterpart. A missing or empty file means 0.
 * {@link #poll()} re-reads the file (driven by the node's timer); {@link #offsetMs()} is read on every clock read.
 */
public final class ClockOffsetFile {
    private static final Logger LOG = LoggerFactory.getLogger(ClockOffsetFile.class);
    private final Path file;
    private volatile long offsetMs;

    public ClockOffsetFile(Path file) {
        this.file = file;
    }

    public long offsetMs() {
        return offsetMs;
    }

    /** Re-reads the file; logs each change, which is the chaos harness's evidence that a jump took effect. */
    public void poll() {
        long next;
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            next = text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (NoSuchFileException e) {
            next = 0;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("cannot read clock offset file {}: {}; keeping offset {} ms", file, e.toString(), offsetMs);
            return;
        }
        if (next != offsetMs) {
            LOG.warn("TEST CLOCK: offset now {} ms (was {} ms), from {}", next, offsetMs, file);
            offsetMs = next;
        }
    }
}
