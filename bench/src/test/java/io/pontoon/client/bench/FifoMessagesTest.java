package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FifoMessagesTest {

    @Test
    void oneGroupTakesEverything() {
        for (long seq = 0; seq < 50; seq++) assertEquals(0, FifoMessages.groupIndex(3, seq, 1, 10));
    }

    @Test
    void groupsAreRoundRobinAndEveryBatchHasDistinctGroups() {
        int groups = 100, batch = 10;
        for (int producer = 0; producer < 4; producer++) {
            int[] perGroup = new int[groups];
            for (long seq = 0; seq < 10 * groups; seq += batch) {
                Set<Integer> inBatch = new HashSet<>();
                for (int i = 0; i < batch; i++) {
                    int g = FifoMessages.groupIndex(producer, seq + i, groups, batch);
                    assertTrue(g >= 0 && g < groups);
                    assertTrue(inBatch.add(g), "group repeated within a batch");
                    perGroup[g]++;
                }
            }
            for (int g = 0; g < groups; g++) assertEquals(10, perGroup[g], "even spread, group " + g);
        }
        // producers start at different groups
        assertEquals(0, FifoMessages.groupIndex(0, 0, groups, batch));
        assertEquals(10, FifoMessages.groupIndex(1, 0, groups, batch));
        assertEquals(20, FifoMessages.groupIndex(2, 0, groups, batch));
        // fewer groups than a batch: each batch cycles through all of them
        assertEquals(3, FifoMessages.groupIndex(0, 3, 4, 10));
        assertEquals(0, FifoMessages.groupIndex(0, 4, 4, 10));
        assertEquals(2, FifoMessages.groupIndex(1, 0, 4, 10));
    }

    @Test
    void dedupIdsAreUniqueAndParseBack() {
        String run = FifoMessages.newRunId();
        assertEquals(10, run.length());
        assertTrue(run.matches("[0-9a-z]{10}"), run);
        assertFalse(run.equals(FifoMessages.newRunId()));
        Set<String> ids = new HashSet<>();
        for (int p = 0; p < 12; p++) {
            for (long seq = 0; seq < 120; seq++) assertTrue(ids.add(FifoMessages.dedupId(run, p, seq)));
        }
        String id = FifoMessages.dedupId(run, 7, 123_456_789_012L);
        assertTrue(id.length() <= 128 && id.matches("[\\p{Alnum}\\p{Punct}]+"), id);
        assertEquals(new FifoMessages.DedupId(run, 7, 123_456_789_012L), FifoMessages.parseDedupId(id));
        assertNull(FifoMessages.parseDedupId(null));
        assertNull(FifoMessages.parseDedupId("abc"));
        assertNull(FifoMessages.parseDedupId("-1-2"));
        assertNull(FifoMessages.parseDedupId("run-x-2"));
        assertNull(FifoMessages.parseDedupId("run-1-"));
        assertNull(FifoMessages.parseDedupId("run--1-2"));
        assertEquals("g0", FifoMessages.groupId(0));
        assertEquals("g9999", FifoMessages.groupId(9999));
    }

    @Test
    void gateKeepsOneRequestPerGroup() throws InterruptedException {
        FifoMessages.GroupGate gate = new FifoMessages.GroupGate(100);
        int[] first = {0, 1, 2};
        assertTrue(gate.acquire(first, 3, () -> false));
        assertTrue(gate.isBusy(1));
        assertTrue(gate.acquire(new int[]{3, 4, 4}, 3, () -> false), "disjoint groups pass");
        assertFalse(gate.acquire(new int[]{5, 2}, 2, () -> true), "a busy group blocks until stopped");
        assertFalse(gate.isBusy(5), "nothing marked when stopped");
        Thread acquirer = Thread.currentThread();
        Thread releaser = new Thread(() -> {
            // Release only once the acquirer is blocked in the gate, so that the release is what lets it pass.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (acquirer.getState() == Thread.State.RUNNABLE && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            gate.release(first, 3);
        });
        releaser.start();
        assertTrue(gate.acquire(new int[]{5, 2}, 2, () -> false), "passes once the group is released");
        releaser.join();
        assertFalse(gate.isBusy(0));
        assertTrue(gate.isBusy(2));
        assertTrue(gate.isBusy(4));
    }
}
