package io.pontoon.server.config;

/**
 * Deliberate bugs for the chaos harness's red gate: a harness that cannot catch a seeded bug proves nothing.
 * Set with {@code test.seeded.bug}; never enable one outside a test.
 */
public enum SeededBug {
    NONE,
    /** Every 50th SendMessage/SendMessageBatch is acknowledged without being replicated: acked, then lost. */
    ACK_WITHOUT_REPLICATION;

    static SeededBug parse(String value) {
        return switch (value) {
            case "none" -> NONE;
            case "ack-without-replication" -> ACK_WITHOUT_REPLICATION;
            default -> throw new ConfigException("test.seeded.bug: '" + value + "' is not none or ack-without-replication");
        };
    }
}
