package io.pontoon.core.partition;

import io.pontoon.core.error.ErrorCode;

/** The answer to a {@link PartitionQuery}; each model has its own sealed set, and they share {@link Error}. */
public interface QueryResult {

    Model model();

    int typeId();

    record Error(ErrorCode code, String message) implements QueryResult {
        public static final int TYPE_ID = 1;
        public Model model() { return Model.PARTITION; }
        public int typeId() { return TYPE_ID; }
    }
}
