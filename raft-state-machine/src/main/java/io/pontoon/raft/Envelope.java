package io.pontoon.raft;

import java.nio.ByteBuffer;

/**
 * What the leader writes into the Raft log around an application command: a format version and the
 * leader's clock reading when the command entered the log. Apply uses that time instead of any local clock,
 * so every replica computes the same result.
 *
 * <pre>
 *   byte    version (1)
 *   int64   leaderTimeMs
 *   bytes   command (the rest of the entry)
 * </pre>
 */
public record Envelope(long leaderTimeMs, byte[] command) {
    static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + Long.BYTES;

    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + command.length);
        buf.put(VERSION).putLong(leaderTimeMs).put(command);
        return buf.array();
    }

    /** The envelope's header alone, to prepend to a command without copying it. */
    static byte[] header(long leaderTimeMs) {
        return ByteBuffer.allocate(HEADER_BYTES).put(VERSION).putLong(leaderTimeMs).array();
    }

    public static Envelope decode(ByteBuffer entry) {
        if (entry.remaining() < HEADER_BYTES) {
            throw new IllegalStateException("log entry too short for an envelope: " + entry.remaining() + " bytes");
        }
        byte version = entry.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown envelope version " + version);
        }
        long leaderTimeMs = entry.getLong();
        byte[] command = new byte[entry.remaining()];
        entry.get(command);
        return new Envelope(leaderTimeMs, command);
    }
}
