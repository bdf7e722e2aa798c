package io.pontoon.server.stream;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.*;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.stream.StreamArns;
import io.pontoon.server.grpc.Calls;
import io.pontoon.server.grpc.GrpcErrors;
import io.pontoon.server.grpc.RequestMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Kinesis gRPC service: translation between the wire API and the stream model's server parts, nothing more. Every
 * request, its stream name or ARN included, is read inside {@link Calls#respond}, so bad input gets its AWS code.
 */
public final class KinesisService extends KinesisGrpc.KinesisImplBase {
    private final StreamAdmin admin;
    private final StreamPuts puts;
    private final StreamReads reads;
    private final StreamLeases leases;
    private final ShardSubscriptions subscriptions;
    private final RequestMetrics metrics;

    KinesisService(StreamAdmin admin, StreamPuts puts, StreamReads reads, StreamLeases leases, ShardSubscriptions subscriptions, RequestMetrics metrics) {
        this.admin = admin;
        this.puts = puts;
        this.reads = reads;
        this.leases = leases;
        this.subscriptions = subscriptions;
        this.metrics = metrics;
    }

    @Override
    public void createStream(CreateStreamRequest req, StreamObserver<CreateStreamResponse> out) {
        respond("CreateStream", out, () -> admin.create(req.getStreamName(), req.hasShardCount() ? req.getShardCount() : null,
                req.getStreamModeDetails().getStreamMode(), req.getTagsMap(), req.hasEnforceShardLimits() ? req.getEnforceShardLimits() : null),
                v -> CreateStreamResponse.getDefaultInstance());
    }

    @Override
    public void deleteStream(DeleteStreamRequest req, StreamObserver<DeleteStreamResponse> out) {
        respond("DeleteStream", out, () -> admin.delete(name(req.getStreamName(), req.getStreamArn()), req.getEnforceConsumerDeletion()),
                v -> DeleteStreamResponse.getDefaultInstance());
    }

    @Override
    public void describeStream(DescribeStreamRequest req, StreamObserver<DescribeStreamResponse> out) {
        respond("DescribeStream", out, () -> admin.describe(name(req.getStreamName(), req.getStreamArn()), req.hasLimit() ? req.getLimit() : null,
                req.getExclusiveStartShardId()), d -> DescribeStreamResponse.newBuilder().setStreamDescription(d).build());
    }

    @Override
    public void describeStreamSummary(DescribeStreamSummaryRequest req, StreamObserver<DescribeStreamSummaryResponse> out) {
        respond("DescribeStreamSummary", out, () -> admin.summary(name(req.getStreamName(), req.getStreamArn())),
                s -> DescribeStreamSummaryResponse.newBuilder().setStreamDescriptionSummary(s).build());
    }

    @Override
    public void listStreams(ListStreamsRequest req, StreamObserver<ListStreamsResponse> out) {
        respond("ListStreams", out, () -> admin.list(req.hasLimit() ? req.getLimit() : null, req.getExclusiveStartStreamName(), req.getNextToken()),
                r -> r);
    }

    @Override
    public void listShards(ListShardsRequest req, StreamObserver<ListShardsResponse> out) {
        respond("ListShards", out, () -> {
            boolean named = !req.getStreamName().isEmpty() || !req.getStreamArn().isEmpty();
            if (named && !req.getNextToken().isEmpty()) {
                throw new io.pontoon.core.error.BrokerException(ErrorCode.INVALID_ARGUMENT, "NextToken cannot be given with StreamName or StreamARN.");
            }
            if (!req.getExclusiveStartShardId().isEmpty() && !req.getNextToken().isEmpty()) {
                throw new io.pontoon.core.error.BrokerException(ErrorCode.INVALID_ARGUMENT,
                        "NextToken cannot be given with ExclusiveStartShardId: the token already says where the page starts.");
            }
            return admin.listShards(named ? name(req.getStreamName(), req.getStreamArn()) : null, req.getNextToken(),
                    req.getExclusiveStartShardId(), req.hasMaxResults() ? req.getMaxResults() : null, req.hasShardFilter() ? req.getShardFilter() : null);
        }, r -> r);
    }

    @Override
    public void increaseStreamRetentionPeriod(IncreaseStreamRetentionPeriodRequest req, StreamObserver<IncreaseStreamRetentionPeriodResponse> out) {
        respond("IncreaseStreamRetentionPeriod", out, () -> admin.retention(name(req.getStreamName(), req.getStreamArn()),
                req.getRetentionPeriodHours(), true), v -> IncreaseStreamRetentionPeriodResponse.getDefaultInstance());
    }

    @Override
    public void decreaseStreamRetentionPeriod(DecreaseStreamRetentionPeriodRequest req, StreamObserver<DecreaseStreamRetentionPeriodResponse> out) {
        respond("DecreaseStreamRetentionPeriod", out, () -> admin.retention(name(req.getStreamName(), req.getStreamArn()),
                req.getRetentionPeriodHours(), false), v -> DecreaseStreamRetentionPeriodResponse.getDefaultInstance());
    }

    @Override
    public void putRecord(PutRecordRequest req, StreamObserver<PutRecordResponse> out) {
        respond("PutRecord", out, () -> {
            // The record's sequence will exceed SequenceNumberForOrdering, also when it lands on another shard after a reshard.
            long minSeq = req.getSequenceNumberForOrdering().isEmpty() ? -1
                    : io.pontoon.core.stream.SequenceNumbers.parse(req.getSequenceNumberForOrdering(), "SequenceNumberForOrdering");
            return puts.put(name(req.getStreamName(), req.getStreamArn()),
                    List.of(new StreamPuts.Entry(req.getPartitionKey(), req.getData().toByteArray(), req.getExplicitHashKey())), minSeq);
        }, outcomes -> {
            StreamPuts.Outcome o = outcomes.get(0);
            if (o.error() != null) {
                throw new io.pontoon.core.error.BrokerException(o.error() == ErrorCode.INTERNAL_FAILURE ? ErrorCode.SERVICE_UNAVAILABLE : o.error(), o.errorMessage());
            }
            return PutRecordResponse.newBuilder().setShardId(o.shardId()).setSequenceNumber(o.sequenceNumber()).setEncryptionType("NONE").build();
        });
    }

    @Override
    public void putRecords(PutRecordsRequest req, StreamObserver<PutRecordsResponse> out) {
        respond("PutRecords", out, () -> {
            List<StreamPuts.Entry> entries = new ArrayList<>(req.getRecordsCount());
            for (PutRecordsRequestEntry e : req.getRecordsList()) {
                entries.add(new StreamPuts.Entry(e.getPartitionKey(), e.getData().toByteArray(), e.getExplicitHashKey()));
            }
            return puts.put(name(req.getStreamName(), req.getStreamArn()), entries);
        }, outcomes -> {
            PutRecordsResponse.Builder b = PutRecordsResponse.newBuilder().setEncryptionType("NONE");
            int failed = 0;
            for (StreamPuts.Outcome o : outcomes) {
                if (o.error() != null) {
                    failed++;
                    b.addRecords(PutRecordsResultEntry.newBuilder().setErrorCode(o.error().awsCode()).setErrorMessage(o.errorMessage()));
                } else {
                    b.addRecords(PutRecordsResultEntry.newBuilder().setSequenceNumber(o.sequenceNumber()).setShardId(o.shardId()));
                }
            }
            return b.setFailedRecordCount(failed).build();
        });
    }

    @Override
    public void getShardIterator(GetShardIteratorRequest req, StreamObserver<GetShardIteratorResponse> out) {
        respond("GetShardIterator", out, () -> reads.shardIterator(name(req.getStreamName(), req.getStreamArn()), req.getShardId(),
                req.getShardIteratorType(), req.getStartingSequenceNumber(), req.hasTimestampMs() ? req.getTimestampMs() : null),
                it -> GetShardIteratorResponse.newBuilder().setShardIterator(it).build());
    }

    @Override
    public void getRecords(GetRecordsRequest req, StreamObserver<GetRecordsResponse> out) {
        Calls.respond(metrics, "GetRecords", null, out, () -> reads.getRecords(req.getShardIterator(), req.hasLimit() ? req.getLimit() : null),
                StreamReads.Read::response, reads::release);
    }

    @Override
    public void splitShard(SplitShardRequest req, StreamObserver<SplitShardResponse> out) {
        respond("SplitShard", out, () -> admin.split(name(req.getStreamName(), req.getStreamArn()), req.getShardToSplit(), req.getNewStartingHashKey()),
                v -> SplitShardResponse.getDefaultInstance());
    }

    @Override
    public void mergeShards(MergeShardsRequest req, StreamObserver<MergeShardsResponse> out) {
        respond("MergeShards", out, () -> admin.merge(name(req.getStreamName(), req.getStreamArn()), req.getShardToMerge(), req.getAdjacentShardToMerge()),
                v -> MergeShardsResponse.getDefaultInstance());
    }

    @Override
    public void updateShardCount(UpdateShardCountRequest req, StreamObserver<UpdateShardCountResponse> out) {
        respond("UpdateShardCount", out, () -> admin.updateShardCount(name(req.getStreamName(), req.getStreamArn()), req.getTargetShardCount(),
                req.getScalingType()), r -> r);
    }

    @Override
    public void addTagsToStream(AddTagsToStreamRequest req, StreamObserver<AddTagsToStreamResponse> out) {
        respond("AddTagsToStream", out, () -> admin.addTags(name(req.getStreamName(), req.getStreamArn()), req.getTagsMap()),
                v -> AddTagsToStreamResponse.getDefaultInstance());
    }

    @Override
    public void removeTagsFromStream(RemoveTagsFromStreamRequest req, StreamObserver<RemoveTagsFromStreamResponse> out) {
        respond("RemoveTagsFromStream", out, () -> admin.removeTags(name(req.getStreamName(), req.getStreamArn()), req.getTagKeysList()),
                v -> RemoveTagsFromStreamResponse.getDefaultInstance());
    }

    @Override
    public void listTagsForStream(ListTagsForStreamRequest req, StreamObserver<ListTagsForStreamResponse> out) {
        respond("ListTagsForStream", out, () -> admin.listTags(name(req.getStreamName(), req.getStreamArn()), req.getExclusiveStartTagKey(),
                req.hasLimit() ? req.getLimit() : null), r -> r);
    }

    @Override
    public void registerStreamConsumer(RegisterStreamConsumerRequest req, StreamObserver<RegisterStreamConsumerResponse> out) {
        respond("RegisterStreamConsumer", out, () -> admin.register(req.getStreamArn(), req.getConsumerName()),
                c -> RegisterStreamConsumerResponse.newBuilder().setConsumer(c).build());
    }

    @Override
    public void deregisterStreamConsumer(DeregisterStreamConsumerRequest req, StreamObserver<DeregisterStreamConsumerResponse> out) {
        respond("DeregisterStreamConsumer", out, () -> admin.deregister(req.getStreamArn(), req.getConsumerName(), req.getConsumerArn()),
                v -> DeregisterStreamConsumerResponse.getDefaultInstance());
    }

    @Override
    public void describeStreamConsumer(DescribeStreamConsumerRequest req, StreamObserver<DescribeStreamConsumerResponse> out) {
        respond("DescribeStreamConsumer", out, () -> admin.describeConsumer(req.getStreamArn(), req.getConsumerName(), req.getConsumerArn()),
                d -> DescribeStreamConsumerResponse.newBuilder().setConsumerDescription(d).build());
    }

    @Override
    public void listStreamConsumers(ListStreamConsumersRequest req, StreamObserver<ListStreamConsumersResponse> out) {
        respond("ListStreamConsumers", out, () -> admin.listConsumers(req.getStreamArn(), req.getNextToken(),
                req.hasMaxResults() ? req.getMaxResults() : null), r -> r);
    }

    @Override
    public void subscribeToShard(SubscribeToShardRequest req, StreamObserver<SubscribeToShardEvent> out) {
        try {
            subscriptions.subscribe(req.getConsumerArn(), req.getShardId(), req.getStartingPosition(), (ServerCallStreamObserver<SubscribeToShardEvent>) out);
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void getLeases(GetLeasesRequest req, StreamObserver<GetLeasesResponse> out) {
        respond("GetLeases", out, () -> leases.get(name(req.getStreamName(), ""), req.getApplicationName(), req.getShardIdsList()),
                l -> GetLeasesResponse.newBuilder().addAllLeases(l).build());
    }

    @Override
    public void updateLease(UpdateLeaseRequest req, StreamObserver<UpdateLeaseResponse> out) {
        respond("UpdateLease", out, () -> leases.update(name(req.getStreamName(), ""), req.getApplicationName(), req.getShardId(), req.getExpectedOwner(),
                req.getExpectedCounter(), req.getNewOwner(), req.getDurationMs(), req.getCheckpoint()), r -> r);
    }

    private static String name(String name, String arn) {
        return StreamArns.streamName(name, arn);
    }

    private <T, R> void respond(String action, StreamObserver<R> out, Supplier<CompletableFuture<T>> call, Function<T, R> toResponse) {
        Calls.respond(metrics, action, out, call, toResponse);
    }
}
