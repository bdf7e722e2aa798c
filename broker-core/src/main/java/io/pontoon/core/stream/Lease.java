package io.pontoon.core.stream;

/**
 * A consumer application's lease on a shard (the consumer library's lease table, kept in the shard's partition):
 * who processes the shard and how far it got. Every change bumps {@code counter}, and a change names the counter it
 * saw, so two workers can never both believe they hold a lease (a conditional write, as the KCL's DynamoDB table).
 *
 * @param owner       the worker holding it, or null when it is free
 * @param expiresAtMs leader time after which another worker may take it
 * @param checkpoint  how far the application got: a sequence number, {@code TRIM_HORIZON}, {@code SHARD_END}, or null
 */
public record Lease(String application, long shardUid, String owner, long counter, long expiresAtMs, String checkpoint) {
    public static final String SHARD_END = "SHARD_END";
    public static final String TRIM_HORIZON = "TRIM_HORIZON";

    /** Free: nobody holds it, or its holder let it expire. */
    public boolean freeAt(long nowMs) {
        return owner == null || expiresAtMs <= nowMs;
    }

    static Lease none(String application, long shardUid) {
        return new Lease(application, shardUid, null, 0, 0, null);
    }
}
