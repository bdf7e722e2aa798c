package io.pontoon.gateway;

import java.util.concurrent.CompletableFuture;

/** One AWS wire protocol: which requests are its own, and how it answers them. Answers never complete exceptionally. */
public interface Protocol {
    boolean accepts(HttpExchange request);

    CompletableFuture<HttpExchange.Reply> handle(HttpExchange request);

    /** An error in this protocol's own shape, for the failures found before {@link #handle} (authentication). */
    HttpExchange.Reply error(int httpStatus, String code, String message);
}
