package io.pontoon.embedded.junit;

import io.pontoon.client.PontoonClient;
import io.pontoon.embedded.EmbeddedPontoon;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** With {@code lifecycle = PER_METHOD} each test gets a Pontoon of its own, with the declared queue, closed after it. */
@PontoonTest(queues = "jobs", lifecycle = PontoonTest.Lifecycle.PER_METHOD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PontoonPerMethodTest {
    private static EmbeddedPontoon first;

    @Test
    @Order(1)
    void theFirstTestHasAPontoonWithTheDeclaredQueue(EmbeddedPontoon pontoon, PontoonClient client) {
        first = pontoon;
        assertEquals(1, client.listQueues("").size());
        client.createQueue("left-behind");
    }

    @Test
    @Order(2)
    void theNextTestHasAnotherOneAndTheFirstIsClosed(EmbeddedPontoon pontoon, PontoonClient client) {
        assertNotSame(first, pontoon);
        assertNotEquals(first.clientEndpoints(), pontoon.clientEndpoints());
        assertFalse(java.nio.file.Files.exists(first.dataDir()), "the first Pontoon was closed and its data removed");
        assertEquals(List.of("jobs"), client.listQueues("").stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).toList());
    }
}
