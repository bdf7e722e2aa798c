package io.pontoon.gateway;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code x-amzn-RequestId} of an answer: a UUID that identifies one request in logs, not a secret, so it comes
 * from the thread's fast generator rather than {@link UUID#randomUUID()}'s shared SecureRandom on every request.
 */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
