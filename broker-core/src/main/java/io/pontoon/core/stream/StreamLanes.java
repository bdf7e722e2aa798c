package io.pontoon.core.stream;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;

/**
 * A shard's marks on the lanes of other models' fan-outs (AuxTable.STREAM_LANE): key (shard uid, lane), value the
 * highest lane sequence the shard has taken, version byte first. Deleted with the shard.
 */
final class StreamLanes {
    private static final int V1 = 1;

    private StreamLanes() {
    }

    static byte[] prefix(long uid) {
        return new BinaryWriter(8).i64(uid).toByteArray();
    }

    static byte[] key(long uid, int lane) {
        return new BinaryWriter(12).i64(uid).i32(lane).toByteArray();
    }

    static byte[] value(long mark) {
        return new BinaryWriter(9).u8(V1).i64(mark).toByteArray();
    }

    static long markOf(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        io.pontoon.core.codec.CommonCodec.expectVersion(r, V1, "stream lane mark");
        return r.i64();
    }
}
