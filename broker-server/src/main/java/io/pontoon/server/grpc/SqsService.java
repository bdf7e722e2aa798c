package io.pontoon.server.grpc;

import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.*;
import io.pontoon.core.QueueUrls;
import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.server.gateway.QueueService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** The SQS gRPC service: translation between the wire API and {@link QueueService}, nothing more. */
public final class SqsService extends SqsGrpc.SqsImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(SqsService.class);

    private final QueueService queues;
    private final RequestMetrics metrics;

    public SqsService(QueueService queues, RequestMetrics metrics) {
        this.queues = queues;
        this.metrics = metrics;
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
        respond("GetQueueAttributes", out, () -> queues.getQueueAttributes(queueName(req.getQueueUrl()), req.getAttributeNamesList()),
                attrs -> GetQueueAttributesResponse.newBuilder().putAllAttributes(attrs).build());
    }

    @Override
    public void setQueueAttributes(SetQueueAttributesRequest req, StreamObserver<SetQueueAttributesResponse> out) {
        respond("SetQueueAttributes", out, () -> queues.setQueueAttributes(queueName(req.getQueueUrl()), req.getAttributesMap()),
                v -> SetQueueAttributesResponse.getDefaultInstance());
    }

    @Override
    public void deleteQueue(DeleteQueueRequest req, StreamObserver<DeleteQueueResponse> out) {
        respond("DeleteQueue", out, () -> queues.deleteQueue(queueName(req.getQueueUrl())), v -> DeleteQueueResponse.getDefaultInstance());
    }

    @Override
    public void purgeQueue(PurgeQueueRequest req, StreamObserver<PurgeQueueResponse> out) {
        respond("PurgeQueue", out, () -> queues.purgeQueue(queueName(req.getQueueUrl())), v -> PurgeQueueResponse.getDefaultInstance());
    }

    @Override
    public void sendMessage(SendMessageRequest req, StreamObserver<SendMessageResponse> out) {
        PartitionCommand.SendEntry entry = ProtoMapper.sendEntry(req);
        respond("SendMessage", req.getQueueUrl(), out, () -> {
            PartitionCommand.SendMessages send = new PartitionCommand.SendMessages(queueName(req.getQueueUrl()), java.util.List.of(entry));
            return queues.send(send).thenApply(sent -> ProtoMapper.singleSend(send, sent));
        }, r -> r);
    }

    @Override
    public void sendMessageBatch(SendMessageBatchRequest req, StreamObserver<SendMessageBatchResponse> out) {
        respond("SendMessageBatch", req.getQueueUrl(), out, () -> {
            PartitionCommand.SendMessages batch = ProtoMapper.sendBatch(queueName(req.getQueueUrl()), req.getEntriesList());
            return queues.send(batch).thenApply(sent -> ProtoMapper.sendBatchResponse(batch, sent));
        }, r -> r);
    }

    @Override
    public void receiveMessage(ReceiveMessageRequest req, StreamObserver<ReceiveMessageResponse> out) {
        PartitionCommand.ReceiveMessages receive = new PartitionCommand.ReceiveMessages(queueName(req.getQueueUrl()),
                req.hasMaxNumberOfMessages() ? req.getMaxNumberOfMessages() : 1,
                req.hasVisibilityTimeout() ? req.getVisibilityTimeout() : null, emptyToNull(req.getReceiveRequestAttemptId()));
        respond("ReceiveMessage", req.getQueueUrl(), out, () -> queues.receive(receive, req.hasWaitTimeSeconds() ? req.getWaitTimeSeconds() : null),
                received -> ProtoMapper.receiveResponse(received, req.getMessageSystemAttributeNamesList(), req.getMessageAttributeNamesList()));
    }

    @Override
    public void deleteMessage(DeleteMessageRequest req, StreamObserver<DeleteMessageResponse> out) {
        PartitionCommand.DeleteMessages delete = new PartitionCommand.DeleteMessages(queueName(req.getQueueUrl()),
                java.util.List.of(new PartitionCommand.DeleteEntry("0", req.getReceiptHandle())));
        respond("DeleteMessage", req.getQueueUrl(), out, () -> queues.delete(delete).thenApply(SqsService::singleOutcome),
                v -> DeleteMessageResponse.getDefaultInstance());
    }

    @Override
    public void deleteMessageBatch(DeleteMessageBatchRequest req, StreamObserver<DeleteMessageBatchResponse> out) {
        respond("DeleteMessageBatch", req.getQueueUrl(), out, () -> queues.delete(ProtoMapper.deleteBatch(queueName(req.getQueueUrl()), req.getEntriesList())),
                ProtoMapper::deleteBatchResponse);
    }

    @Override
    public void changeMessageVisibility(ChangeMessageVisibilityRequest req, StreamObserver<ChangeMessageVisibilityResponse> out) {
        PartitionCommand.ChangeMessageVisibility change = new PartitionCommand.ChangeMessageVisibility(queueName(req.getQueueUrl()),
                java.util.List.of(new PartitionCommand.VisibilityEntryChange("0", req.getReceiptHandle(), req.getVisibilityTimeout())));
        respond("ChangeMessageVisibility", req.getQueueUrl(), out, () -> queues.changeVisibility(change).thenApply(SqsService::singleOutcome),
                v -> ChangeMessageVisibilityResponse.getDefaultInstance());
    }

    @Override
    public void changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest req, StreamObserver<ChangeMessageVisibilityBatchResponse> out) {
        respond("ChangeMessageVisibilityBatch", out,
                () -> queues.changeVisibility(ProtoMapper.visibilityBatch(queueName(req.getQueueUrl()), req.getEntriesList())),
                ProtoMapper::visibilityBatchResponse);
    }

    @Override
    public void listDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest req, StreamObserver<ListDeadLetterSourceQueuesResponse> out) {
        respond("ListDeadLetterSourceQueues", out, () -> queues.listDeadLetterSourceQueues(queueName(req.getQueueUrl()),
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
        unsupported("TagQueue", out);
    }

    @Override
    public void untagQueue(UntagQueueRequest req, StreamObserver<UntagQueueResponse> out) {
        unsupported("UntagQueue", out);
    }

    @Override
    public void listQueueTags(ListQueueTagsRequest req, StreamObserver<ListQueueTagsResponse> out) {
        unsupported("ListQueueTags", out);
    }

    /** Tags can be set at CreateQueue; changing them later is not implemented yet. */
    private static <R> void unsupported(String action, StreamObserver<R> out) {
        out.onError(GrpcErrors.status(ErrorCode.UNSUPPORTED_OPERATION, action + " is not supported yet; set tags with CreateQueue"));
    }

    /** A single-entry action fails as a whole with its entry's error. */
    private static PartitionResult.BatchOutcome singleOutcome(PartitionResult.BatchOutcome outcome) {
        if (!outcome.failed().isEmpty()) {
            PartitionResult.EntryFailure f = outcome.failed().get(0);
            throw new io.pontoon.core.error.BrokerException(f.code(), f.message());
        }
        return outcome;
    }

    private static String queueName(String url) {
        if (url == null || url.isEmpty()) {
            throw new io.pontoon.core.error.BrokerException(ErrorCode.MISSING_PARAMETER, "QueueUrl is required");
        }
        return QueueUrls.parse(url);
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
        respond(action, null, out, call, toResponse);
    }

    /** Answers one call; {@code queueUrl} (when the action is about messages of a queue) tags per-queue latency. */
    private <T, R> void respond(String action, String queueUrl, StreamObserver<R> out, Supplier<CompletableFuture<T>> call,
                                Function<T, R> toResponse) {
        long startNs = System.nanoTime();
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((value, error) -> {
            metrics.record(action, queueUrl == null ? null : queueOrNull(queueUrl), System.nanoTime() - startNs, error == null);
            if (error == null) {
                R response;
                try {
                    response = toResponse.apply(value);
                } catch (RuntimeException e) {
                    fail(action, out, e);
                    return;
                }
                out.onNext(response);
                out.onCompleted();
            } else {
                fail(action, out, error);
            }
        });
    }

    private static <R> void fail(String action, StreamObserver<R> out, Throwable error) {
        if (GrpcErrors.isInternal(error)) {
            LOG.error("{} failed", action, error);
        }
        out.onError(GrpcErrors.toStatus(error));
    }
}
