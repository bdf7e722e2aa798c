package io.pontoon.core.queue;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.queue.AuxKeys;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.StoreTxn;

/**
 * Records that only live for a window (dedup ids, receive attempts). Readers treat an expired record as
 * absent, so correctness never waits for the sweep; the sweep (one bounded pass per Tick) only bounds storage.
 * Values of expiring tables start with their i64 expiry time.
 */
final class Expiry {
    private static final byte[] EMPTY = new byte[0];

    private Expiry() {
    }

    private static void schedule(StoreTxn txn, AuxTable table, byte[] key, long expiresAtMs) {
        txn.putAux(AuxTable.EXPIRY, AuxKeys.expiry(expiresAtMs, table, key), EMPTY);
    }

    static long expiresAt(byte[] value) {
        return new BinaryReader(value).i64();
    }

    /** Records {@code value} (which starts with {@code expiresAtMs}) under {@code key} and schedules its expiry. */
    static void put(StoreTxn txn, AuxTable table, byte[] key, long expiresAtMs, byte[] value) {
        txn.putAux(table, key, value);
        schedule(txn, table, key, expiresAtMs);
    }

    /** Deletes up to {@code budget} records whose expiry has passed; returns how many moved-in messages expired with them. */
    static int sweep(QueueContext ctx, int budget) {
        StoreTxn txn = ctx.txn();
        int expiredMessages = 0;
        for (AuxEntry e : txn.auxRange(AuxTable.EXPIRY, EMPTY, null, budget)) {
            if (AuxKeys.expiryTime(e.key()) > ctx.nowMs()) {
                break;
            }
            AuxTable table = AuxKeys.expiryTable(e.key());
            byte[] target = AuxKeys.expiryTarget(e.key());
            // The record may have been re-created since with a later expiry: only delete it if it is the expired one.
            if (txn.aux(table, target).filter(v -> expiresAt(v) <= ctx.nowMs()).isPresent()) {
                txn.deleteAux(table, target);
                if (table == AuxTable.MOVED_MESSAGE && RetentionSweep.expireMoved(ctx, target)) {
                    expiredMessages++;
                }
            }
            txn.deleteAux(AuxTable.EXPIRY, e.key());
        }
        return expiredMessages;
    }
}
