package io.pontoon.core.partition;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.codec.CommonCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary codec of a partition's log entries (commands), their results and queries: a format version byte, a count
 * for lists, then per item its model id (u8), its type id within the model (u8) and the model's fields
 * ({@link ModelCodec}). Independent of the client wire API, so the two evolve separately. Decoding rejects unknown
 * versions, models and type ids loudly.
 *
 * <p>A command can be encoded alone ({@link #encodeOne}) and entries framed from such pieces ({@link #frame}):
 * group commit encodes each request once, when it arrives, so it knows its exact size and never re-encodes it.
 *
 * <p>Log entries written before models existed (versions 1 to 3) carry queue commands without a model id, the
 * Tick among them as queue type 9; they are read as such, so an old log replays unchanged.
 */
public final class PartitionCodec {
    /** v4: every command carries its model id. */
    static final int COMMANDS_V4 = 4;
    /** The layout version of the command fields a v4 entry carries (queue fields as in the pre-model v3). */
    public static final int COMMAND_FIELDS_VERSION = 3;
    /** v5: every result carries its model id. */
    static final int RESULTS_V5 = 5;
    static final int QUERY_V3 = 3;
    static final int QUERY_RESULT_V4 = 4;
    /** The framing around the commands of one entry: version byte and count. */
    public static final int FRAME_BYTES = 1 + Integer.BYTES;
    /** The queue Tick's type id in log entries before v4. */
    private static final int LEGACY_TICK_TYPE_ID = 9;

    private PartitionCodec() {
    }

    // ---------------------------------------------------------------- commands

    public static byte[] encode(List<? extends PartitionCommand> commands) {
        return frame(commands.stream().map(PartitionCodec::encodeOne).toList());
    }

    /** One command as it appears inside an entry: its model id, type id and fields. */
    public static byte[] encodeOne(PartitionCommand c) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(c.model().id()).u8(c.typeId());
        if (c.model() != Model.PARTITION) {
            Models.codec(c.model()).writeCommand(w, c);
        }
        return w.toByteArray();
    }

    /** An entry of commands encoded with {@link #encodeOne}. */
    public static byte[] frame(List<byte[]> encodedCommands) {
        return CommonCodec.frame(COMMANDS_V4, encodedCommands);
    }

    public static List<PartitionCommand> decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        int version = r.u8();
        if (version < 1 || version > COMMANDS_V4) {
            throw new IllegalArgumentException("unknown command list format version " + version);
        }
        int n = r.count(Limits.MAX_COMMANDS_PER_ENTRY);
        List<PartitionCommand> commands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            commands.add(version == COMMANDS_V4 ? readCommand(r) : readLegacyCommand(r, version));
        }
        r.expectEnd();
        return commands;
    }

    private static PartitionCommand readCommand(BinaryReader r) {
        Model model = Model.of(r.u8());
        int type = r.u8();
        if (model == Model.PARTITION) {
            if (type != Tick.TYPE_ID) {
                throw new IllegalArgumentException("unknown partition command type id " + type);
            }
            return new Tick();
        }
        return Models.codec(model).readCommand(r, type, COMMAND_FIELDS_VERSION);
    }

    private static PartitionCommand readLegacyCommand(BinaryReader r, int version) {
        int type = r.u8();
        return type == LEGACY_TICK_TYPE_ID ? new Tick() : Models.codec(Model.QUEUE).readCommand(r, type, version);
    }

    // ---------------------------------------------------------------- results

    public static byte[] encodeResults(List<? extends PartitionResult> results) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(RESULTS_V5).i32(results.size());
        for (PartitionResult res : results) {
            w.u8(res.model().id()).u8(res.typeId());
            writeResult(w, res);
        }
        return w.toByteArray();
    }

    public static List<PartitionResult> decodeResults(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        CommonCodec.expectVersion(r, RESULTS_V5, "result list");
        int n = r.count(Limits.MAX_COMMANDS_PER_ENTRY);
        List<PartitionResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(readResult(r, Model.of(r.u8()), r.u8()));
        }
        r.expectEnd();
        return results;
    }

    private static void writeResult(BinaryWriter w, PartitionResult res) {
        switch (res) {
            case PartitionResult.Error e -> {
                CommonCodec.writeErrorCode(w, e.code());
                w.string(e.message());
            }
            case PartitionResult.Ok ok -> {
            }
            case PartitionResult.Ticked t -> w.i32(t.expired());
            default -> Models.codec(res.model()).writeResult(w, res);
        }
    }

    private static PartitionResult readResult(BinaryReader r, Model model, int type) {
        if (model != Model.PARTITION) {
            return Models.codec(model).readResult(r, type);
        }
        return switch (type) {
            case PartitionResult.Error.TYPE_ID -> new PartitionResult.Error(CommonCodec.readErrorCode(r), r.string());
            case PartitionResult.Ok.TYPE_ID -> new PartitionResult.Ok();
            case PartitionResult.Ticked.TYPE_ID -> new PartitionResult.Ticked(r.i32());
            default -> throw new IllegalArgumentException("unknown partition result type id " + type);
        };
    }

    // ---------------------------------------------------------------- queries

    public static byte[] encodeQuery(PartitionQuery query) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(QUERY_V3).u8(query.model().id()).u8(query.typeId());
        Models.codec(query.model()).writeQuery(w, query);
        return w.toByteArray();
    }

    public static PartitionQuery decodeQuery(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        CommonCodec.expectVersion(r, QUERY_V3, "query");
        Model model = Model.of(r.u8());
        PartitionQuery q = Models.codec(model).readQuery(r, r.u8());
        r.expectEnd();
        return q;
    }

    public static byte[] encodeQueryResult(QueryResult result) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(QUERY_RESULT_V4).u8(result.model().id()).u8(result.typeId());
        if (result instanceof QueryResult.Error e) {
            CommonCodec.writeErrorCode(w, e.code());
            w.string(e.message());
        } else {
            Models.codec(result.model()).writeQueryResult(w, result);
        }
        return w.toByteArray();
    }

    public static QueryResult decodeQueryResult(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        CommonCodec.expectVersion(r, QUERY_RESULT_V4, "query result");
        Model model = Model.of(r.u8());
        int type = r.u8();
        QueryResult res;
        if (model == Model.PARTITION) {
            if (type != QueryResult.Error.TYPE_ID) {
                throw new IllegalArgumentException("unknown partition query result type id " + type);
            }
            res = new QueryResult.Error(CommonCodec.readErrorCode(r), r.string());
        } else {
            res = Models.codec(model).readQueryResult(r, type);
        }
        r.expectEnd();
        return res;
    }
}
