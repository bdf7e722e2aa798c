package io.pontoon.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClientConfigTest {
    @Test
    void defaultsAreValid() {
        ClientConfig c = ClientConfig.defaults(List.of("127.0.0.1:7001", "[::1]:7002", "node-3.example:7003"));
        assertEquals(3, c.bootstrap().size());
        assertTrue(c.maxAttempts() >= 1);
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.defaults(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.defaults(List.of("localhost")));
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.defaults(List.of("localhost:0")));
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.defaults(List.of("localhost:70000")));
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.defaults(List.of("localhost:abc")));
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.defaults(List.of(":7001")));
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.defaults(List.of("::1:7001")));
        assertThrows(IllegalArgumentException.class, () -> PontoonClient.builder().bootstrap("h:1").maxAttempts(0).build());
        assertThrows(IllegalArgumentException.class, () -> PontoonClient.builder().bootstrap("h:1").requestTimeoutMs(0).build());
        assertThrows(IllegalArgumentException.class, () -> PontoonClient.builder().bootstrap("h:1").connectTimeoutMs(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> PontoonClient.builder().bootstrap("h:1").backoffBaseMs(100).backoffMaxMs(50).build());
        assertThrows(IllegalArgumentException.class, () -> PontoonClient.builder().build());
    }

    @Test
    void builderProducesConfig() {
        try (PontoonClient c = PontoonClient.builder().bootstrap("127.0.0.1:7001").maxAttempts(3)
                .backoffBaseMs(10).backoffMaxMs(100).requestTimeoutMs(1234).build()) {
            assertEquals(3, c.config().maxAttempts());
            assertEquals(1234, c.config().requestTimeoutMs());
            assertEquals(List.of("127.0.0.1:7001"), c.config().bootstrap());
        }
    }

    @Test
    void backoffIsBoundedAndJittered() {
        ClientConfig c = new ClientConfig(List.of("h:1"), 1000, 1000, 10, 10, 200, 1000);
        for (int attempt = 1; attempt <= 20; attempt++) {
            long exp = Math.min(200, 10L << Math.min(attempt - 1, 30));
            for (int i = 0; i < 50; i++) {
                long b = PontoonClient.backoffMs(c, attempt, 0);
                assertTrue(b >= exp / 2 && b <= exp, "attempt " + attempt + " backoff " + b);
            }
        }
        assertEquals(200, PontoonClient.backoffMs(c, 1, 10_000), "retry-after hint is capped at backoffMaxMs");
    }
}
