package io.pontoon.storage.rocksdb;

import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.partition.StoreView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Message content lives apart from message state (the payloads family), so that receives rewrite a few dozen bytes.
 * A store written before that split, with content inline in the message records, is converted when it opens.
 */
class PayloadSplitTest {
    @TempDir
    Path tmp;

    @Test
    void aMessageRecordWithItsContentInlineIsSplitWhenTheStoreOpens() throws Exception {
        Path dir = tmp.resolve("db");
        try (RocksResources resources = new RocksResources(Fixtures.SMALL)) {
            RocksPartitionStore.open(dir, resources).close(); // creates every family
            writeRaw(dir, KeyCodec.messageKey(7, 3), legacyV4Record(7, 3, "old body", "trace-less"));
            try (RocksPartitionStore store = RocksPartitionStore.open(dir, resources); StoreView v = store.view()) {
                MessageRecord m = v.message(7, 3).orElseThrow();
                assertEquals("mid-3", m.messageId());
                assertEquals(2, m.receiveCount());
                assertEquals("g", m.groupId());
                MessagePayload p = v.payload(7, 3).orElseThrow();
                assertArrayEquals("old body".getBytes(StandardCharsets.UTF_8), p.body());
                assertEquals("trace-less", p.attributes().get("k").stringValue());
                assertEquals(p.sizeBytes(), m.payloadBytes());
            }
            // converted once: the record is in the current format now, and a second open changes nothing
            try (RocksPartitionStore store = RocksPartitionStore.open(dir, resources)) {
                String before = store.digest().sha256();
                store.close();
                try (RocksPartitionStore again = RocksPartitionStore.open(dir, resources)) {
                    assertEquals(before, again.digest().sha256());
                }
            }
        }
    }

    @Test
    void deletingAMessageDeletesItsContentAndDroppingAQueueDropsAllOfIt() {
        try (RocksResources resources = new RocksResources(Fixtures.SMALL);
             RocksPartitionStore store = RocksPartitionStore.open(tmp.resolve("db"), resources)) {
            Fixtures.commit(store, 1, t -> {
                Fixtures.store(t, Fixtures.message(1, 1, 0));
                Fixtures.store(t, Fixtures.message(1, 2, 0));
                Fixtures.store(t, Fixtures.message(2, 1, 0));
            });
            Fixtures.commit(store, 2, t -> t.deleteMessage(1, 1));
            Fixtures.commit(store, 3, t -> t.dropMessages(2));
            try (StoreView v = store.view()) {
                assertTrue(v.payload(1, 1).isEmpty());
                assertTrue(v.payload(1, 2).isPresent());
                assertTrue(v.payload(2, 1).isEmpty());
            }
        }
    }

    /** The v4 message record layout: content inline after the message id. */
    static byte[] legacyV4Record(long queueId, long seq, String body, String attrValue) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(4);
        out.writeLong(queueId);
        out.writeLong(seq);
        out.writeUTF("mid-" + seq);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
        out.writeInt(1);
        out.writeUTF("k");
        out.writeUTF("String");
        out.writeBoolean(true);
        byte[] v = attrValue.getBytes(StandardCharsets.UTF_8);
        out.writeInt(v.length);
        out.write(v);
        out.writeLong(100);   // sentMs
        out.writeLong(200);   // visibleAtMs
        out.writeInt(2);      // receiveCount
        out.writeLong(150);   // firstReceiveMs
        out.writeLong(9);     // receiptSeq
        out.writeLong(190);   // lastReceiveMs
        out.writeBoolean(true);
        out.writeUTF("g");
        out.writeBoolean(false);
        out.writeBoolean(false);
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeRaw(Path dir, byte[] key, byte[] value) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (org.rocksdb.Options listing = new org.rocksdb.Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(listing, dir.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            for (int i = 0; i < descriptors.size(); i++) {
                if (new String(descriptors.get(i).getName(), StandardCharsets.UTF_8).equals(RocksPartitionStore.CF_MESSAGES)) {
                    db.put(handles.get(i), key, value);
                }
            }
            db.flushWal(true);
            try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles);
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
