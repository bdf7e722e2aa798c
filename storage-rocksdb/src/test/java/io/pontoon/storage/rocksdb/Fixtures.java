package io.pontoon.storage.rocksdb;

import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.partition.PartitionMeta;
import io.pontoon.core.partition.StoreTxn;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

final class Fixtures {
    /** Small budget so that tests also exercise flushes of full memtables. */
    static final RocksConfig SMALL = new RocksConfig(64L << 20, 1L << 20, 16L << 20, 2);

    private Fixtures() {
    }

    static QueueRecord queue(long id, String name) {
        return new QueueRecord(id, name, new QueueAttributes(30, 345_600, 0, 0, 262_144, Map.of("team", "a")),
                1_000, 2_000, 0, 0);
    }

    static MessageRecord message(long queueId, long seq, long visibleAtMs) {
        return new MessageRecord(queueId, seq, "m-" + queueId + "-" + seq, MessageRecord.payloadSize(payload(seq)),
                1_000 + seq, visibleAtMs, 0, 0, 0, 0, null, null, null);
    }

    /** The content {@link #store} gives message {@code seq}. */
    static MessagePayload payload(long seq) {
        TreeMap<String, MessageAttribute> attrs = new TreeMap<>();
        attrs.put("k", new MessageAttribute("String", "v" + seq, null));
        return new MessagePayload(("body-" + seq).getBytes(StandardCharsets.UTF_8), attrs, null);
    }

    /** Stores a message as apply does: its state and its content. */
    static void store(StoreTxn txn, MessageRecord m) {
        txn.putMessage(m);
        txn.putPayload(m.queueId(), m.seq(), payload(m.seq()));
    }

    static PartitionMeta meta(long index) {
        return new PartitionMeta(index, 1, 10_000 + index, index + 1);
    }

    static void commit(RocksPartitionStore store, long index, java.util.function.Consumer<StoreTxn> body) {
        try (StoreTxn txn = store.begin()) {
            body.accept(txn);
            txn.commit(meta(index));
        }
    }
}
