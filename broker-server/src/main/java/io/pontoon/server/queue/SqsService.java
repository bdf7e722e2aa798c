package io.pontoon.server.queue;

import io.pontoon.server.grpc.Calls;
import io.pontoon.server.grpc.RequestMetrics;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueValidator;
import io.pontoon.core.queue.QueueResult;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.*;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.server.queue.Delivery;
import io.pontoon.server.queue.QueueService;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The SQS gRPC service: translation between the wire API and {@link QueueService}, nothing more. Every request,
 * its queue URL included, is read inside {@link #respond}, so that any bad input is answered with its AWS code.
 */
public final class SqsService extends SqsGrpc.SqsImplBase {

    /** How sends reach the queues: {@link QueueService#send}, or a test build's seeded bug in front of it. */
    public interface Sends {
        CompletableFuture<QueueResult.Sent> send(QueueCommand.SendMessages send);
    }

    private final QueueService queues;
    private final Sends sends;
    private final RequestMetrics metrics;
    private final String senderId;

    /**
     * @param senderId what ReceiveMessage answers as every message's SenderId: the account id (aws.account.id), as
     *                 SQS answers for messages its account's root user sent. Pontoon keeps no sender per message yet.
     */
    public SqsService(QueueService queues, Sends sends, RequestMetrics metrics, String senderId) {
        this.queues = queues;
        this.sends = sends;
        this.metrics = metrics;
        this.senderId = senderId;
    }

    @Override
    public void createQueue(CreateQueueRequest req, StreamObserver<CreateQueueResponse> out) {
        respond("CreateQueue", out, () -> queues.createQueue(req.getQueueName(), req.getAttributesMap(), req.getTagsMap()),
                url -> CreateQueueResponse.newBuilder().setQueueUrl(url).build());
    }

    @Override
    public void getQueueUrl(GetQueueUrlRequest req, StreamObserver<GetQueueUrlResponse> out) {
        respond("GetQueueUrl", out, () -> queues.getQueueUrl(req.getQueueName()),
                url -> GetQueueUrlResponse.newBuilder().setQueueUrl(url).build());
    }

    @Override
    public void listQueues(ListQueuesRequest req, StreamObserver<ListQueuesResponse> out) {
        respond("ListQueues", out, () -> queues.listQueues(req.getQueueNamePrefix(), emptyToNull(req.getNextToken()),
                        req.hasMaxResults() ? req.getMaxResults() : null),
                list -> ListQueuesResponse.newBuilder().addAllQueueUrls(list.queueUrls())
                        .setNextToken(list.nextToken() == null ? "" : list.nextToken()).build());
    }

    @Override
    public void getQueueAttributes(GetQueueAttributesRequest req, StreamObserver<GetQueueAttributesResponse> out) {
        respond("GetQueueAttributes", out, () -> queues.getQueueAttributes(QueueUrls.parse(req.getQueueUrl()), req.getAttributeNamesList()),
                attrs -> GetQueueAttributesResponse.newBuilder().putAllAttributes(attrs).build());
    }

    @Override
    public void setQueueAttributes(SetQueueAttributesRequest req, StreamObserver<SetQueueAttributesResponse> out) {
        respond("SetQueueAttributes", out, () -> queues.setQueueAttributes(QueueUrls.parse(req.getQueueUrl()), req.getAttributesMap()),
                v -> SetQueueAttributesResponse.getDefaultInstance());
    }

    @Override
    public void deleteQueue(DeleteQueueRequest req, StreamObserver<DeleteQueueResponse> out) {
        respond("DeleteQueue", out, () -> queues.deleteQueue(QueueUrls.parse(req.getQueueUrl())), v -> DeleteQueueResponse.getDefaultInstance());
    }

    @Override
    public void purgeQueue(PurgeQueueRequest req, StreamObserver<PurgeQueueResponse> out) {
        respond("PurgeQueue", out, () -> queues.purgeQueue(QueueUrls.parse(req.getQueueUrl())), v -> PurgeQueueResponse.getDefaultInstance());
    }

    @Override
    public void sendMessage(SendMessageRequest req, StreamObserver<SendMessageResponse> out) {
        respond("SendMessage", req.getQueueUrl(), out, () -> {
            QueueCommand.SendMessages send = new QueueCommand.SendMessages(QueueUrls.parse(req.getQueueUrl()),
                    List.of(ProtoMapper.sendEntry(req)));
            QueueValidator.messageSizeWithinLimit(send.entries().get(0));
            return sends.send(send).thenApply(sent -> ProtoMapper.singleSend(send, sent));
        }, r -> r);
    }

    @Override
    public void sendMessageBatch(SendMessageBatchRequest req, StreamObserver<SendMessageBatchResponse> out) {
        respond("SendMessageBatch", req.getQueueUrl(), out, () -> {
            QueueCommand.SendMessages batch = ProtoMapper.sendBatch(QueueUrls.parse(req.getQueueUrl()), req.getEntriesList());
            return sends.send(batch).thenApply(sent -> ProtoMapper.sendBatchResponse(batch, sent));
        }, r -> r);
    }

    /** The answer holds its messages' bytes in the node's response budget until it has been handed to the transport. */
    @Override
    public void receiveMessage(ReceiveMessageRequest req, StreamObserver<ReceiveMessageResponse> out) {
        respond("ReceiveMessage", req.getQueueUrl(), out, () -> queues.receive(new QueueCommand.ReceiveMessages(
                                QueueUrls.parse(req.getQueueUrl()), req.hasMaxNumberOfMessages() ? req.getMaxNumberOfMessages() : 1,
                                req.hasVisibilityTimeout() ? req.getVisibilityTimeout() : null, emptyToNull(req.getReceiveRequestAttemptId())),
                        req.hasWaitTimeSeconds() ? req.getWaitTimeSeconds() : null),
                delivery -> ProtoMapper.receiveResponse(delivery.messages(), req.getMessageSystemAttributeNamesList(),
                        req.getMessageAttributeNamesList(), senderId),
                Delivery::close);
    }

    @Override
    public void deleteMessage(DeleteMessageRequest req, StreamObserver<DeleteMessageResponse> out) {
        respond("DeleteMessage", req.getQueueUrl(), out, () -> queues.delete(new QueueCommand.DeleteMessages(QueueUrls.parse(req.getQueueUrl()),
                        List.of(new QueueCommand.DeleteEntry("0", req.getReceiptHandle())))).thenApply(SqsService::singleOutcome),
                v -> DeleteMessageResponse.getDefaultInstance());
    }

    @Override
    public void deleteMessageBatch(DeleteMessageBatchRequest req, StreamObserver<DeleteMessageBatchResponse> out) {
        respond("DeleteMessageBatch", req.getQueueUrl(), out,
                () -> queues.delete(ProtoMapper.deleteBatch(QueueUrls.parse(req.getQueueUrl()), req.getEntriesList())),
                ProtoMapper::deleteBatchResponse);
    }

    @Override
    public void changeMessageVisibility(ChangeMessageVisibilityRequest req, StreamObserver<ChangeMessageVisibilityResponse> out) {
        respond("ChangeMessageVisibility", req.getQueueUrl(), out, () -> queues.changeVisibility(new QueueCommand.ChangeMessageVisibility(
                                QueueUrls.parse(req.getQueueUrl()),
                                List.of(new QueueCommand.VisibilityEntryChange("0", req.getReceiptHandle(), req.getVisibilityTimeout()))))
                        .thenApply(SqsService::singleOutcome),
                v -> ChangeMessageVisibilityResponse.getDefaultInstance());
    }

    @Override
    public void changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest req, StreamObserver<ChangeMessageVisibilityBatchResponse> out) {
        respond("ChangeMessageVisibilityBatch", req.getQueueUrl(), out,
                () -> queues.changeVisibility(ProtoMapper.visibilityBatch(QueueUrls.parse(req.getQueueUrl()), req.getEntriesList())),
                ProtoMapper::visibilityBatchResponse);
    }

    @Override
    public void listDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest req, StreamObserver<ListDeadLetterSourceQueuesResponse> out) {
        respond("ListDeadLetterSourceQueues", out, () -> queues.listDeadLetterSourceQueues(QueueUrls.parse(req.getQueueUrl()),
                        emptyToNull(req.getNextToken()), req.hasMaxResults() ? req.getMaxResults() : null),
                list -> ListDeadLetterSourceQueuesResponse.newBuilder().addAllQueueUrls(list.queueUrls())
                        .setNextToken(list.nextToken() == null ? "" : list.nextToken()).build());
    }

    @Override
    public void startMessageMoveTask(StartMessageMoveTaskRequest req, StreamObserver<StartMessageMoveTaskResponse> out) {
        respond("StartMessageMoveTask", out, () -> queues.startMessageMoveTask(req.getSourceArn(), emptyToNull(req.getDestinationArn()),
                        req.hasMaxNumberOfMessagesPerSecond() ? req.getMaxNumberOfMessagesPerSecond() : null),
                handle -> StartMessageMoveTaskResponse.newBuilder().setTaskHandle(handle).build());
    }

    @Override
    public void cancelMessageMoveTask(CancelMessageMoveTaskRequest req, StreamObserver<CancelMessageMoveTaskResponse> out) {
        respond("CancelMessageMoveTask", out, () -> queues.cancelMessageMoveTask(req.getTaskHandle()),
                moved -> CancelMessageMoveTaskResponse.newBuilder().setApproximateNumberOfMessagesMoved(moved).build());
    }

    @Override
    public void listMessageMoveTasks(ListMessageMoveTasksRequest req, StreamObserver<ListMessageMoveTasksResponse> out) {
        respond("ListMessageMoveTasks", out, () -> queues.listMessageMoveTasks(req.getSourceArn(), req.hasMaxResults() ? req.getMaxResults() : 1),
                ProtoMapper::moveTasks);
    }

    @Override
    public void tagQueue(TagQueueRequest req, StreamObserver<TagQueueResponse> out) {
        respond("TagQueue", out, () -> queues.tagQueue(QueueUrls.parse(req.getQueueUrl()), req.getTagsMap()),
                v -> TagQueueResponse.getDefaultInstance());
    }

    @Override
    public void untagQueue(UntagQueueRequest req, StreamObserver<UntagQueueResponse> out) {
        respond("UntagQueue", out, () -> queues.untagQueue(QueueUrls.parse(req.getQueueUrl()), req.getTagKeysList()),
                v -> UntagQueueResponse.getDefaultInstance());
    }

    @Override
    public void listQueueTags(ListQueueTagsRequest req, StreamObserver<ListQueueTagsResponse> out) {
        respond("ListQueueTags", out, () -> queues.listQueueTags(QueueUrls.parse(req.getQueueUrl())),
                tags -> ListQueueTagsResponse.newBuilder().putAllTags(tags).build());
    }

    /** A single-entry action fails as a whole with its entry's error. */
    private static QueueResult.BatchOutcome singleOutcome(QueueResult.BatchOutcome outcome) {
        if (!outcome.failed().isEmpty()) {
            QueueResult.EntryFailure f = outcome.failed().get(0);
            throw new io.pontoon.core.error.BrokerException(f.code(), f.message());
        }
        return outcome;
    }

    /** The queue a call named, for metrics only; null if the url is malformed (the call failed anyway). */
    private static String queueOrNull(String url) {
        try {
            return QueueUrls.parse(url);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private <T, R> void respond(String action, StreamObserver<R> out, Supplier<CompletableFuture<T>> call, Function<T, R> toResponse) {
        respond(action, null, out, call, toResponse, v -> { });
    }

    private <T, R> void respond(String action, String queueUrl, StreamObserver<R> out, Supplier<CompletableFuture<T>> call,
                                Function<T, R> toResponse) {
        respond(action, queueUrl, out, call, toResponse, v -> { });
    }

    /**
     * Answers one call; {@code queueUrl} (when the action is about messages of a queue) tags per-queue latency, and
     * {@code done} runs once the value was answered or failed (a delivery gives its bytes back there).
     */
    private <T, R> void respond(String action, String queueUrl, StreamObserver<R> out, Supplier<CompletableFuture<T>> call,
                                Function<T, R> toResponse, java.util.function.Consumer<T> done) {
        Calls.respond(metrics, action, queueUrl == null ? null : queueOrNull(queueUrl), out, call, toResponse, done);
    }
}
