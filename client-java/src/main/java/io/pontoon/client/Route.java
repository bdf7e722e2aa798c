package io.pontoon.client;

/** Where a request should go: a queue's partition leader, a given partition's leader, the controller leader, or any node. */
record Route(Kind kind, String queueName) {
    enum Kind { QUEUE, PARTITION, CONTROLLER, ANY }

    static final Route ANY = new Route(Kind.ANY, null);
    static final Route CONTROLLER = new Route(Kind.CONTROLLER, null);

    static Route queue(String name) {
        return new Route(Kind.QUEUE, name);
    }

    /** The leader of partition {@code partitionId} (a stream shard's home); the name field carries the partition id. */
    static Route partition(String partitionId) {
        return new Route(Kind.PARTITION, partitionId);
    }
}
