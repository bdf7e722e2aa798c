package io.pontoon.core.queue;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.QueueResult.BatchOutcome;
import io.pontoon.core.queue.QueueResult.EntryFailure;
import io.pontoon.core.queue.QueueResult.QueueCreated;
import io.pontoon.core.queue.QueueResult.Received;
import io.pontoon.core.queue.QueueResult.ReceivedMessage;
import io.pontoon.core.queue.QueueResult.SendSuccess;
import io.pontoon.core.queue.QueueResult.Sent;
import io.pontoon.core.queue.QueueResult.Ingested;
import io.pontoon.core.queue.QueueResult.MoveTaskCancelled;
import io.pontoon.core.queue.QueueResult.MoveTaskStarted;

import java.util.ArrayList;
import java.util.List;

import static io.pontoon.core.codec.CommonCodec.*;

/** Field layout of each {@link QueueResult}; the header (model, type id) is written by PartitionCodec. */
final class QueueResultCodec {
    private QueueResultCodec() {
    }

    static void write(BinaryWriter w, QueueResult res) {
        switch (res) {
            case QueueCreated q -> w.string(q.queueUrl());
            case Sent s -> {
                w.i32(s.successful().size());
                s.successful().forEach(x -> w.string(x.id()).string(x.messageId()).nullableString(x.sequenceNumber()));
                writeFailures(w, s.failed());
            }
            case Received rcv -> {
                w.i64(rcv.queueId()).i32(rcv.messages().size());
                rcv.messages().forEach(m -> writeReceived(w, m));
            }
            case BatchOutcome b -> {
                writeStringList(w, b.successfulIds());
                writeFailures(w, b.failed());
            }
            case Ingested in -> w.i32(in.accepted()).i32(in.dropped());
            case MoveTaskStarted m -> w.string(m.taskHandle());
            case MoveTaskCancelled m -> w.i64(m.approximateNumberOfMessagesMoved());
        }
    }

    static QueueResult read(BinaryReader r, int typeId) {
        return switch (typeId) {
            case QueueCreated.TYPE_ID -> new QueueCreated(r.string());
            case Sent.TYPE_ID -> readSent(r);
            case Received.TYPE_ID -> readReceived(r);
            case BatchOutcome.TYPE_ID -> new BatchOutcome(readStringList(r), readFailures(r));
            case Ingested.TYPE_ID -> new Ingested(r.i32(), r.i32());
            case MoveTaskStarted.TYPE_ID -> new MoveTaskStarted(r.string());
            case MoveTaskCancelled.TYPE_ID -> new MoveTaskCancelled(r.i64());
            default -> throw new IllegalArgumentException("unknown partition result type id " + typeId);
        };
    }

    private static Sent readSent(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        List<SendSuccess> ok = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            ok.add(new SendSuccess(r.string(), r.string(), r.nullableString()));
        }
        return new Sent(ok, readFailures(r));
    }

    private static Received readReceived(BinaryReader r) {
        long queueId = r.i64();
        int n = r.count(MAX_COLLECTION);
        List<ReceivedMessage> msgs = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            msgs.add(new ReceivedMessage(r.string(), r.string(), r.i64(), r.i32(), r.i32(), r.i64(), r.i64(),
                    r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString()));
        }
        return new Received(queueId, msgs);
    }

    private static void writeReceived(BinaryWriter w, ReceivedMessage m) {
        w.string(m.messageId()).string(m.receiptHandle()).i64(m.seq()).i32(m.payloadBytes());
        w.i32(m.approximateReceiveCount()).i64(m.sentTimestampMs()).i64(m.approximateFirstReceiveTimestampMs());
        w.nullableString(m.sequenceNumber()).nullableString(m.groupId()).nullableString(m.deduplicationId())
                .nullableString(m.deadLetterSource());
    }

    private static void writeFailures(BinaryWriter w, List<EntryFailure> failures) {
        w.i32(failures.size());
        for (EntryFailure f : failures) {
            w.string(f.id());
            writeErrorCode(w, f.code());
            w.string(f.message()).bool(f.senderFault());
        }
    }

    private static List<EntryFailure> readFailures(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        List<EntryFailure> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            list.add(new EntryFailure(r.string(), readErrorCode(r), r.string(), r.bool()));
        }
        return list;
    }
}
