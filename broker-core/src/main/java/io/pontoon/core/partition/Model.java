package io.pontoon.core.partition;

/**
 * The messaging models a partition hosts, and the partition's own bookkeeping. The id is persisted in every
 * encoded command, result and query (never reuse or renumber). A fourth model gets the next id, a codec
 * ({@link ModelCodec}) and a {@link PartitionModel}, and is added to {@link Models}.
 */
public enum Model {
    /** Commands of the partition itself (Tick), and results every model shares (Error, Ok). */
    PARTITION(0),
    QUEUE(1),
    STREAM(2),
    TOPIC(3);

    private final int id;

    Model(int id) {
        this.id = id;
    }

    public int id() { return id; }

    public static Model of(int id) {
        for (Model m : values()) {
            if (m.id == id) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model id " + id);
    }
}
