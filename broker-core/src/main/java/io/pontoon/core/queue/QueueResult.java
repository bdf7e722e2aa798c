package io.pontoon.core.queue;

import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionResult;

import java.util.List;

/**
 * The outcome of one applied {@link QueueCommand}: business failures are values, never exceptions.
 * Batch commands report per-entry successes and failures; {@link PartitionResult.Error} is a whole-command
 * failure, {@link PartitionResult.Ok} a plain success (type ids 1, 3 and 7 were Error, Ok and Ticked before models).
 */
public sealed interface QueueResult extends PartitionResult {

    default Model model() { return Model.QUEUE; }

    /** CreateQueue succeeded (or was an idempotent repeat). */
    record QueueCreated(String queueUrl) implements QueueResult {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }


    record Sent(List<SendSuccess> successful, List<EntryFailure> failed) implements QueueResult {
        public static final int TYPE_ID = 4;
        public Sent {
            successful = List.copyOf(successful);
            failed = List.copyOf(failed);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The messages a receive took, without their content: a log entry's result stays small whatever the message
     * sizes. The answering node reads the content from its applied state ({@link io.pontoon.core.queue.Deliveries}).
     *
     * @param queueId the queue incarnation the messages belong to (0 when none were taken)
     */
    record Received(long queueId, List<ReceivedMessage> messages) implements QueueResult {
        public static final int TYPE_ID = 5;
        public Received {
            messages = List.copyOf(messages);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** DeleteMessages and ChangeMessageVisibility: ids of the entries that succeeded, and the failures. */
    record BatchOutcome(List<String> successfulIds, List<EntryFailure> failed) implements QueueResult {
        public static final int TYPE_ID = 6;
        public BatchOutcome {
            successfulIds = List.copyOf(successfulIds);
            failed = List.copyOf(failed);
        }
        public int typeId() { return TYPE_ID; }
    }


    /** IngestMessages: how many new entries were stored, and how many found no (suitable) queue and were dropped. */
    record Ingested(int accepted, int dropped) implements QueueResult {
        public static final int TYPE_ID = 8;
        public int typeId() { return TYPE_ID; }
    }

    record MoveTaskStarted(String taskHandle) implements QueueResult {
        public static final int TYPE_ID = 9;
        public int typeId() { return TYPE_ID; }
    }

    record MoveTaskCancelled(long approximateNumberOfMessagesMoved) implements QueueResult {
        public static final int TYPE_ID = 10;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * MD5s are not part of apply's result: the node answering the client computes them (see Md5s).
     *
     * @param sequenceNumber FIFO only (also for a deduplicated repeat: the original's), else null
     */
    record SendSuccess(String id, String messageId, String sequenceNumber) {
        public SendSuccess(String id, String messageId) {
            this(id, messageId, null);
        }
    }

    /** @param senderFault AWS BatchResultErrorEntry.SenderFault */
    record EntryFailure(String id, ErrorCode code, String message, boolean senderFault) {
    }

    /**
     * One message a receive took: its identity and the state a receive reports, but not its content.
     *
     * @param seq          where its content is stored (with the result's queueId)
     * @param payloadBytes the size of its content, known before it is read
     */
    record ReceivedMessage(
            String messageId,
            String receiptHandle,
            long seq,
            int payloadBytes,
            int approximateReceiveCount,
            long sentTimestampMs,
            long approximateFirstReceiveTimestampMs,
            String sequenceNumber,
            String groupId,
            String deduplicationId,
            String deadLetterSource) {
    }
}
