package io.pontoon.core.partition;

import io.pontoon.core.error.ErrorCode;

/**
 * The result of one applied command, in command order. Each model has its own sealed set; the results every
 * model uses are here. Business failures are results ({@link Error}), never exceptions.
 */
public interface PartitionResult {

    Model model();

    int typeId();

    /** A deterministic failure: the command changed nothing. */
    record Error(ErrorCode code, String message) implements PartitionResult {
        public static final int TYPE_ID = 1;
        public Model model() { return Model.PARTITION; }
        public int typeId() { return TYPE_ID; }
    }

    /** Done; nothing to report. */
    record Ok() implements PartitionResult {
        public static final int TYPE_ID = 2;
        public Model model() { return Model.PARTITION; }
        public int typeId() { return TYPE_ID; }
    }

    /** A Tick's work: items that expired (messages, records) across the models. */
    record Ticked(int expired) implements PartitionResult {
        public static final int TYPE_ID = 3;
        public Model model() { return Model.PARTITION; }
        public int typeId() { return TYPE_ID; }
    }
}
