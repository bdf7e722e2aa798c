package io.pontoon.core.partition;

/**
 * Time-driven housekeeping, proposed by the partition's leader every tick interval: every model does a bounded
 * amount of work that depends on time (queue retention, dedup expiry, message moves). Its result is
 * {@link PartitionResult.Ticked}.
 */
public record Tick() implements PartitionCommand {
    public static final int TYPE_ID = 1;

    public Model model() { return Model.PARTITION; }

    public int typeId() { return TYPE_ID; }
}
