package io.pontoon.server.timers;

import io.pontoon.core.partition.Tick;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/** The leader proposes one Tick per interval per group it leads, never two at once, and none once it stops leading. */
class LeaderTickerTest {
    private final List<Integer> proposed = new ArrayList<>();
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private final LeaderTicker ticker = new LeaderTicker(1_000, p -> {
        proposed.add(p);
        CompletableFuture<Void> f = new CompletableFuture<>();
        pending.add(f);
        return f;
    });

    @Test
    void ticksOnlyWhereThisNodeLeadsAndOnlyWhenDue() {
        ticker.leadershipChanged(0, true, 0);
        assertEquals(0, ticker.poll(999));
        assertEquals(1, ticker.poll(1_000));
        assertEquals(List.of(0), proposed);
        ticker.leadershipChanged(0, false, 1_500);
        pending.get(0).complete(null);
        assertEquals(0, ticker.poll(10_000), "no ticks after losing leadership");
    }

    @Test
    void aSlowTickIsNeverDoubledUp() {
        ticker.leadershipChanged(3, true, 0);
        ticker.poll(1_000);
        assertEquals(0, ticker.poll(5_000), "the first tick has not completed");
        pending.get(0).complete(null);
        assertEquals(1, ticker.poll(6_000));
        assertEquals(List.of(3, 3), proposed);
    }
}
