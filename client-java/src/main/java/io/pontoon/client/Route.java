package io.pontoon.client;

/** Where a request should go: a queue's partition leader, the controller leader, or any node. */
record Route(Kind kind, String queueName) {
    enum Kind { QUEUE, CONTROLLER, ANY }

    static final Route ANY = new Route(Kind.ANY, null);
    static final Route CONTROLLER = new Route(Kind.CONTROLLER, null);

    static Route queue(String name) {
        return new Route(Kind.QUEUE, name);
    }
}
