package io.pontoon.client.bench;

import java.security.SecureRandom;
import java.util.BitSet;
import java.util.function.BooleanSupplier;

/**
 * How {@link LoadTool} labels FIFO messages: group assignment, deduplication ids, and the per-producer
 * gate that keeps each (producer, group) stream ordered.
 *
 * <p>Every producer numbers its messages 0, 1, 2, ... (failed sends included, so failures leave gaps).
 * Message {@code n} of producer {@code p} goes to group {@code (n + p * batch) mod groups} (round-robin,
 * producers starting at different groups) and carries the deduplication id {@code run-p-n}, where
 * {@code run} is random per load-tool run: ids never repeat, so the queue deduplicates nothing, not even
 * against an earlier run on the same queue. Consumers read producer and sequence back from the
 * {@code MessageDeduplicationId} system attribute.
 */
final class FifoMessages {
    private FifoMessages() {
    }

    /** The group index of message {@code seq} of producer {@code producer}. */
    static int groupIndex(int producer, long seq, int groups, int batch) {
        return (int) Math.floorMod(seq + (long) producer * batch, (long) groups);
    }

    /** Group indexes by shard ({@link io.pontoon.client.PontoonClient#shardOf}). */
    static int[][] groupsByShard(String[] groupIds, int shards) {
        java.util.List<java.util.List<Integer>> lists = new java.util.ArrayList<>();
        for (int s = 0; s < shards; s++) lists.add(new java.util.ArrayList<>());
        for (int i = 0; i < groupIds.length; i++) lists.get(io.pontoon.client.PontoonClient.shardOf(groupIds[i], shards)).add(i);
        int[][] out = new int[shards][];
        for (int s = 0; s < shards; s++) out[s] = lists.get(s).stream().mapToInt(Integer::intValue).toArray();
        return out;
    }

    static String groupId(int index) {
        return "g" + index;
    }

    /** A fresh run id: 10 characters of [0-9a-z] (no '-', the separator of deduplication ids). */
    static String newRunId() {
        long v = new SecureRandom().nextLong() & Long.MAX_VALUE;
        String s = Long.toString(v, 36);
        return s.length() >= 10 ? s.substring(0, 10) : "0".repeat(10 - s.length()) + s;
    }

    static String dedupId(String run, int producer, long seq) {
        return run + "-" + producer + "-" + seq;
    }

    /** A parsed deduplication id {@code run-producer-seq}. */
    record DedupId(String run, int producer, long seq) {
    }

    /** Parses {@link #dedupId}'s format; null if {@code s} is not in it. */
    static DedupId parseDedupId(String s) {
        if (s == null) return null;
        int b = s.lastIndexOf('-');
        int a = b <= 0 ? -1 : s.lastIndexOf('-', b - 1);
        if (a <= 0 || s.indexOf('-') != a) return null;   // the run id has no '-'
        try {
            int producer = Integer.parseInt(s, a + 1, b, 10);
            long seq = Long.parseLong(s, b + 1, s.length(), 10);
            if (producer < 0 || seq < 0) return null;
            return new DedupId(s.substring(0, a), producer, seq);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * One producer's groups with a request in flight. FIFO orders a group's messages in the order the queue
     * accepts them, so a producer that wants its own messages of a group delivered in its sending order must
     * not send the next ones before the previous request for that group is answered (as with SQS). The
     * producer marks a request's groups busy before sending it and frees them when it completes.
     */
    static final class GroupGate {
        private final BitSet busy;

        GroupGate(int groups) {
            this.busy = new BitSet(groups);
        }

        /**
         * Waits until none of {@code groups[0..n)} is busy, then marks them busy. Returns false (marking
         * nothing) if {@code stop} became true while waiting.
         */
        synchronized boolean acquire(int[] groups, int n, BooleanSupplier stop) throws InterruptedException {
            while (anyBusy(groups, n)) {
                if (stop.getAsBoolean()) return false;
                wait(100);
            }
            for (int i = 0; i < n; i++) busy.set(groups[i]);
            return true;
        }

        synchronized void release(int[] groups, int n) {
            for (int i = 0; i < n; i++) busy.clear(groups[i]);
            notifyAll();
        }

        synchronized boolean isBusy(int group) {
            return busy.get(group);
        }

        private boolean anyBusy(int[] groups, int n) {
            for (int i = 0; i < n; i++) {
                if (busy.get(groups[i])) return true;
            }
            return false;
        }
    }
}
