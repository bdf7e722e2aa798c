package io.pontoon.core.controller;

/** Read-only questions to the controller's state. */
public sealed interface ControllerQuery {

    int typeId();

    record LookupQueue(String name) implements ControllerQuery {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /** Placements with names starting with {@code prefix}, after {@code startAfter} ("" = from the start), at most {@code limit}. */
    record ListPlacements(String prefix, String startAfter, int limit) implements ControllerQuery {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    record PartitionCount() implements ControllerQuery {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    record DescribeStream(String name) implements ControllerQuery {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** Stream names after {@code startAfter} ("" = from the start), ascending, at most {@code limit}. */
    record ListStreams(String startAfter, int limit) implements ControllerQuery {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }

    record LookupTopic(String name) implements ControllerQuery {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }

    /** Topic placements after {@code startAfter} ("" = from the start), ascending by name, at most {@code limit}. */
    record ListTopics(String startAfter, int limit) implements ControllerQuery {
        public static final int TYPE_ID = 7;
        public int typeId() { return TYPE_ID; }
    }
}
