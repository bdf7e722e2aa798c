package io.pontoon.core.controller;

import io.pontoon.core.error.ErrorCode;

/** Outcomes of {@link ControllerCommand}s: values, never exceptions. */
public sealed interface ControllerResult {

    int typeId();

    record Error(ErrorCode code, String message) implements ControllerResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    record PartitionsInitialized(int count) implements ControllerResult {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /** @param newlyPlaced false when the queue was already placed (idempotent repeat) */
    record Placed(String name, int partitionId, boolean newlyPlaced) implements ControllerResult {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    record Unplaced(String name, int partitionId) implements ControllerResult {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    record Ticked(int tombstonesRemoved) implements ControllerResult {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }
}
