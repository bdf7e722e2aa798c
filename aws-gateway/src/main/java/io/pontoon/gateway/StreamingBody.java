package io.pontoon.gateway;

import java.util.concurrent.CompletableFuture;

/**
 * A response body produced over time, such as SubscribeToShard's event stream. The server writes the response head,
 * then starts the body, which sends chunks into a {@link Sink} until it ends it; a chunk's future completes once the
 * chunk is written, which is when a producer may send the next one (so a slow reader holds one chunk, not a backlog).
 */
public interface StreamingBody {
    /** Called once, after the head is written. */
    void start(Sink sink);

    /** The client went away or the connection closed: stop producing (the sink is dead). May come before or after start. */
    void cancel();

    /** Where a streaming body goes. Thread-safe; chunks are written in the order sent. */
    interface Sink {
        /** Writes {@code chunk}; the future completes when it is written and fails if the connection is gone. */
        CompletableFuture<Void> send(byte[] chunk);

        /** Ends the body; nothing may be sent after. */
        void end();
    }
}
