package io.pontoon.gateway;

import java.util.concurrent.CompletableFuture;

/** One AWS wire protocol: which requests are its own, and how it answers them. Answers never complete exceptionally. */
public interface Protocol {
    boolean accepts(HttpExchange request);

    CompletableFuture<HttpExchange.Reply> handle(HttpExchange request);

    /**
     * Whether {@code request} is served without a signature even when SigV4 is required: an action AWS documents as
     * unauthenticated (SNS's ConfirmSubscription, which the subscription's token authorises).
     */
    default boolean anonymous(HttpExchange request) {
        return false;
    }

    /** An error in this protocol's own shape, for the failures found before {@link #handle} (authentication). */
    HttpExchange.Reply error(int httpStatus, String code, String message);
}
