package io.pontoon.server.stream;

import io.pontoon.api.v1.Consumer;
import io.pontoon.api.v1.ConsumerDescription;
import io.pontoon.api.v1.EnhancedMetrics;
import io.pontoon.api.v1.HashKeyRange;
import io.pontoon.api.v1.ListShardsResponse;
import io.pontoon.api.v1.ListStreamConsumersResponse;
import io.pontoon.api.v1.ListStreamsResponse;
import io.pontoon.api.v1.ListTagsForStreamResponse;
import io.pontoon.api.v1.SequenceNumberRange;
import io.pontoon.api.v1.Shard;
import io.pontoon.api.v1.ShardFilter;
import io.pontoon.api.v1.StreamDescription;
import io.pontoon.api.v1.StreamDescriptionSummary;
import io.pontoon.api.v1.StreamModeDetails;
import io.pontoon.api.v1.StreamSummary;
import io.pontoon.api.v1.Tag;
import io.pontoon.api.v1.UpdateShardCountResponse;
import io.pontoon.core.Limits;
import io.pontoon.core.controller.ControllerCommand;
import io.pontoon.core.controller.ControllerCommand.Reshard;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.controller.StreamTopology.ShardState;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.core.stream.SequenceNumbers;
import io.pontoon.core.stream.ShardRecord;
import io.pontoon.core.stream.StreamArns;
import io.pontoon.core.stream.StreamValidator;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The stream-level calls: create, delete, describe, list, retention, resharding, tags and consumers. Changes go to the
 * controller; a change that needs the partitions (creating, resharding, deleting) is then carried out by the
 * {@link StreamOrchestrator}, and the call returns once it is done (AWS returns at once and lets the caller poll for
 * ACTIVE; returning later is allowed by that contract, and simpler for callers). The describing calls read the
 * controller leader's answer, not the data path's topology cache: a change made through one node is seen at once
 * through every other (read-your-writes across nodes, as a client behind a load balancer expects).
 */
final class StreamAdmin {
    private static final long NEXT_TOKEN_TTL_MS = Limits.SHARD_ITERATOR_TTL_MS;
    private static final EnhancedMetrics NO_METRICS = EnhancedMetrics.getDefaultInstance();

    private final StreamTopologies topologies;
    private final StreamOrchestrator orchestrator;
    private final ShardReader reader;
    private final LongSupplier clockMs;

    StreamAdmin(StreamTopologies topologies, StreamOrchestrator orchestrator, ShardReader reader, LongSupplier clockMs) {
        this.topologies = topologies;
        this.orchestrator = orchestrator;
        this.reader = reader;
        this.clockMs = clockMs;
    }

    CompletableFuture<Void> create(String name, Integer shardCount, String mode, Map<String, String> tags, Boolean enforceLimits) {
        StreamValidator.streamName(name);
        if (mode != null && !mode.isEmpty() && !mode.equals("PROVISIONED")) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "StreamMode must be PROVISIONED; " + mode + " is not supported.");
        }
        if (shardCount == null) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "ShardCount is required for a PROVISIONED stream.");
        }
        ControllerCommand.CreateStream c = new ControllerCommand.CreateStream(name, shardCount, Limits.DEFAULT_STREAM_RETENTION_HOURS,
                enforceLimits == null || enforceLimits, tags);
        io.pontoon.core.controller.ControllerStateMachine.validate(c);
        return topologies.propose(c).thenCompose(orchestrator::complete).thenApply(t -> null);
    }

    CompletableFuture<Void> delete(String name, boolean enforceConsumerDeletion) {
        return topologies.propose(new ControllerCommand.DeleteStream(name, enforceConsumerDeletion)).thenCompose(orchestrator::complete)
                .thenApply(t -> null);
    }

    CompletableFuture<StreamDescription> describe(String name, Integer limit, String exclusiveStartShardId) {
        int max = limit == null ? Limits.MAX_DESCRIBE_STREAM_SHARDS : limit;
        if (max < 1 || max > Limits.MAX_DESCRIBE_STREAM_SHARDS) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Limit must be 1 to " + Limits.MAX_DESCRIBE_STREAM_SHARDS + ", got " + max + ".");
        }
        return topologies.fresh(name).thenApply(t -> {
            List<ShardInfo> listed = listed(t).stream().filter(s -> exclusiveStartShardId == null || exclusiveStartShardId.isEmpty()
                    || s.shardId().compareTo(exclusiveStartShardId) > 0).toList();
            StreamDescription.Builder b = StreamDescription.newBuilder().setStreamName(t.name()).setStreamArn(StreamArns.stream(t.name()))
                    .setStreamStatus(t.status().name()).setStreamModeDetails(PROVISIONED).setRetentionPeriodHours(t.retentionHours())
                    .setStreamCreationTimestampMs(t.createdAtMs()).setEncryptionType("NONE").addEnhancedMonitoring(NO_METRICS)
                    .setHasMoreShards(listed.size() > max);
            listed.stream().limit(max).forEach(s -> b.addShards(shard(s)));
            return b.build();
        });
    }

    CompletableFuture<StreamDescriptionSummary> summary(String name) {
        return topologies.fresh(name).thenApply(t -> StreamDescriptionSummary.newBuilder().setStreamName(t.name()).setStreamArn(StreamArns.stream(t.name()))
                .setStreamStatus(t.status().name()).setStreamModeDetails(PROVISIONED).setRetentionPeriodHours(t.retentionHours())
                .setStreamCreationTimestampMs(t.createdAtMs()).setEncryptionType("NONE")
                .setOpenShardCount((int) t.shards().stream().filter(s -> s.state() == ShardState.OPEN || s.state() == ShardState.CLOSING).count())
                .setConsumerCount(t.consumers().size()).addEnhancedMonitoring(NO_METRICS).build());
    }

    CompletableFuture<ListStreamsResponse> list(Integer limit, String exclusiveStart, String nextToken) {
        int max = limit == null ? Limits.DEFAULT_LIST_STREAMS_RESULTS : limit;
        if (max < 1 || max > Limits.MAX_LIST_STREAMS_RESULTS) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Limit must be 1 to " + Limits.MAX_LIST_STREAMS_RESULTS + ", got " + max + ".");
        }
        String after = nextToken != null && !nextToken.isEmpty() ? readToken(nextToken)[0] : exclusiveStart == null ? "" : exclusiveStart;
        return topologies.list(after, max).thenApply(page -> {
            ListStreamsResponse.Builder b = ListStreamsResponse.newBuilder().addAllStreamNames(page.names()).setHasMoreStreams(page.hasMore());
            for (String n : page.names()) {
                b.addStreamSummaries(StreamSummary.newBuilder().setStreamName(n).setStreamArn(StreamArns.stream(n)).setStreamModeDetails(PROVISIONED)
                        .setStreamStatus(statusOf(n)));
            }
            if (page.hasMore() && !page.names().isEmpty()) {
                b.setNextToken(token(page.names().get(page.names().size() - 1), ""));
            }
            return b.build();
        });
    }

    private String statusOf(String name) {
        try {
            return topologies.local(name).status().name();
        } catch (RuntimeException e) {
            return "ACTIVE";
        }
    }

    CompletableFuture<ListShardsResponse> listShards(String name, String nextToken, String exclusiveStartShardId, Integer maxResults, ShardFilter filter) {
        int max = maxResults == null ? Limits.MAX_LIST_SHARDS_RESULTS : maxResults;
        if (max < 1 || max > Limits.MAX_LIST_SHARDS_REQUESTED) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "MaxResults must be 1 to " + Limits.MAX_LIST_SHARDS_REQUESTED + ", got " + max + ".");
        }
        int page = Math.min(max, Limits.MAX_LIST_SHARDS_RESULTS);
        String stream = name;
        String after = exclusiveStartShardId == null ? "" : exclusiveStartShardId;
        if (nextToken != null && !nextToken.isEmpty()) {
            String[] t = readToken(nextToken);
            stream = t[0];
            after = t[1];
        }
        if (stream == null || stream.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Either StreamName, StreamARN or NextToken is required.");
        }
        String from = after;
        return topologies.fresh(stream).thenApply(t -> {
            List<ShardInfo> shards = filtered(t, filter).stream().filter(s -> from.isEmpty() || s.shardId().compareTo(from) > 0).toList();
            ListShardsResponse.Builder b = ListShardsResponse.newBuilder();
            shards.stream().limit(page).forEach(s -> b.addShards(shard(s)));
            if (shards.size() > page) {
                b.setNextToken(token(t.name(), shards.get(page - 1).shardId()));
            }
            return b.build();
        });
    }

    /** ListShards' ShardFilter, as the shards this node can see (see grpc-api/PROTOCOL.md for the timestamp filters' approximation). */
    private List<ShardInfo> filtered(StreamTopology t, ShardFilter filter) {
        List<ShardInfo> all = listed(t);
        if (filter == null || filter.getType().isEmpty()) {
            return all;
        }
        return switch (filter.getType()) {
            case "AFTER_SHARD_ID" -> {
                StreamValidatorCalls.shardId(filter.getShardId());
                yield all.stream().filter(s -> s.shardId().compareTo(filter.getShardId()) > 0).toList();
            }
            case "AT_LATEST" -> all.stream().filter(StreamAdmin::open).toList();
            case "FROM_TRIM_HORIZON" -> all.stream().filter(s -> open(s) || hasData(s)).toList();
            case "AT_TRIM_HORIZON" -> all.stream().filter(s -> (open(s) || hasData(s)) && parentsGone(t, s)).toList();
            case "AT_TIMESTAMP", "FROM_TIMESTAMP" -> {
                if (!filter.hasTimestampMs()) {
                    throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Timestamp is required for " + filter.getType() + ".");
                }
                long ts = filter.getTimestampMs();
                List<ShardInfo> from = all.stream().filter(s -> open(s) || lastArrival(s) >= ts).toList();
                yield filter.getType().equals("FROM_TIMESTAMP") ? from : from.stream().filter(s -> from.stream().noneMatch(p -> s.isChildOf(p.shardId()))).toList();
            }
            default -> throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "ShardFilter type must be AFTER_SHARD_ID, AT_TRIM_HORIZON, "
                    + "FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP or FROM_TIMESTAMP, got '" + filter.getType() + "'.");
        };
    }

    private static boolean open(ShardInfo s) {
        return s.state() == ShardState.OPEN || s.state() == ShardState.CLOSING;
    }

    private boolean hasData(ShardInfo s) {
        try {
            return !reader.state(s).empty();
        } catch (BrokerException e) {
            return false;
        }
    }

    private long lastArrival(ShardInfo s) {
        try {
            return reader.state(s).lastArrivalMs();
        } catch (BrokerException e) {
            return 0;
        }
    }

    private boolean parentsGone(StreamTopology t, ShardInfo s) {
        for (String p : new String[] {s.parentShardId(), s.adjacentParentShardId()}) {
            if (p != null && t.shard(p).filter(x -> open(x) || hasData(x)).isPresent()) {
                return false;
            }
        }
        return true;
    }

    /** Shards as Describe/ListShards show them: every shard whose creation has been carried out, by shard id. */
    private static List<ShardInfo> listed(StreamTopology t) {
        return t.shards().stream().filter(s -> s.state() != ShardState.CREATING).sorted((a, b) -> a.shardId().compareTo(b.shardId())).toList();
    }

    private Shard shard(ShardInfo s) {
        Shard.Builder b = Shard.newBuilder().setShardId(s.shardId())
                .setHashKeyRange(HashKeyRange.newBuilder().setStartingHashKey(s.startingHashKey().toString()).setEndingHashKey(s.endingHashKey().toString()));
        if (s.parentShardId() != null) {
            b.setParentShardId(s.parentShardId());
        }
        if (s.adjacentParentShardId() != null) {
            b.setAdjacentParentShardId(s.adjacentParentShardId());
        }
        try {
            ShardRecord r = reader.state(s);
            SequenceNumberRange.Builder range = SequenceNumberRange.newBuilder().setStartingSequenceNumber(SequenceNumbers.format(r.startingSeq()));
            if (r.closed()) {
                range.setEndingSequenceNumber(SequenceNumbers.format(r.endingSeq()));
            }
            b.setSequenceNumberRange(range);
        } catch (BrokerException e) {
            // this node's replica does not have the shard yet: its range is shown once it does
        }
        return b.build();
    }

    CompletableFuture<Void> retention(String name, int hours, boolean increase) {
        StreamValidator.retentionHours(hours);
        return topologies.propose(new ControllerCommand.UpdateStream(name, hours, increase, Map.of(), List.of(), null)).thenApply(t -> null);
    }

    CompletableFuture<Void> split(String name, String shardId, String newStartingHashKey) {
        StreamValidatorCalls.shardId(shardId);
        if (!HashKeys.isValid(newStartingHashKey)) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "NewStartingHashKey must be a decimal integer from 0 to 2^128 - 1.");
        }
        return reshard(name, new Reshard.Split(shardId, new BigInteger(newStartingHashKey))).thenApply(t -> null);
    }

    CompletableFuture<Void> merge(String name, String shardId, String adjacentShardId) {
        StreamValidatorCalls.shardId(shardId);
        StreamValidatorCalls.shardId(adjacentShardId);
        return reshard(name, new Reshard.Merge(shardId, adjacentShardId)).thenApply(t -> null);
    }

    CompletableFuture<UpdateShardCountResponse> updateShardCount(String name, int target, String scalingType) {
        if (!"UNIFORM_SCALING".equals(scalingType)) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "ScalingType must be UNIFORM_SCALING.");
        }
        return topologies.fresh(name).thenCompose(before -> reshard(name, new Reshard.Scale(target)).thenApply(after ->
                UpdateShardCountResponse.newBuilder().setStreamName(name).setStreamArn(StreamArns.stream(name))
                        .setCurrentShardCount(before.openShards().size()).setTargetShardCount(target).build()));
    }

    private CompletableFuture<StreamTopology> reshard(String name, Reshard reshard) {
        return topologies.propose(new ControllerCommand.ReshardStream(name, reshard)).thenCompose(orchestrator::complete);
    }

    CompletableFuture<Void> addTags(String name, Map<String, String> tags) {
        if (tags.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Tags must hold 1 to " + Limits.MAX_TAGS + " tags.");
        }
        StreamValidator.tags(tags);
        return topologies.propose(new ControllerCommand.UpdateStream(name, 0, true, tags, List.of(), null)).thenApply(t -> null);
    }

    CompletableFuture<Void> removeTags(String name, List<String> keys) {
        StreamValidator.tagKeys(keys);
        return topologies.propose(new ControllerCommand.UpdateStream(name, 0, true, Map.of(), keys, null)).thenApply(t -> null);
    }

    CompletableFuture<ListTagsForStreamResponse> listTags(String name, String exclusiveStartTagKey, Integer limit) {
        int max = limit == null ? Limits.MAX_TAGS : limit;
        if (max < 1 || max > Limits.MAX_TAGS) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Limit must be 1 to " + Limits.MAX_TAGS + ", got " + max + ".");
        }
        return topologies.fresh(name).thenApply(t -> {
            List<Map.Entry<String, String>> tags = t.tags().entrySet().stream()
                    .filter(e -> exclusiveStartTagKey == null || exclusiveStartTagKey.isEmpty() || e.getKey().compareTo(exclusiveStartTagKey) > 0).toList();
            ListTagsForStreamResponse.Builder b = ListTagsForStreamResponse.newBuilder().setHasMoreTags(tags.size() > max);
            tags.stream().limit(max).forEach(e -> b.addTags(Tag.newBuilder().setKey(e.getKey()).setValue(e.getValue())));
            return b.build();
        });
    }

    CompletableFuture<Consumer> register(String streamArn, String consumer) {
        String stream = StreamArns.parseStream(streamArn);
        StreamValidator.consumerName(consumer);
        return topologies.propose(new ControllerCommand.RegisterConsumer(stream, consumer)).thenApply(t -> consumer(t, consumer).orElseThrow());
    }

    CompletableFuture<Void> deregister(String streamArn, String consumer, String consumerArn) {
        StreamArns.ConsumerRef ref = consumerRef(streamArn, consumer, consumerArn);
        if (ref.createdSeconds() == null) {
            return topologies.propose(new ControllerCommand.DeregisterConsumer(ref.stream(), ref.consumer())).thenApply(t -> null);
        }
        // an ARN names one registration: a stale one must not deregister the consumer registered since under its name
        return topologies.fresh(ref.stream()).thenCompose(t -> {
            registered(t, ref);
            return topologies.propose(new ControllerCommand.DeregisterConsumer(ref.stream(), ref.consumer()));
        }).thenApply(t -> null);
    }

    /** The registration {@code ref} names, or ResourceNotFound. */
    static StreamTopology.ConsumerInfo registered(StreamTopology t, StreamArns.ConsumerRef ref) {
        return t.consumers().stream().filter(c -> ref.names(c.name(), c.createdAtMs())).findFirst().orElseThrow(() -> new BrokerException(
                ErrorCode.RESOURCE_NOT_FOUND, "Consumer " + ref.consumer() + (ref.createdSeconds() == null ? "" : " created at " + ref.createdSeconds())
                        + " is not registered with stream " + ref.stream() + "."));
    }

    CompletableFuture<ConsumerDescription> describeConsumer(String streamArn, String consumer, String consumerArn) {
        StreamArns.ConsumerRef ref = consumerRef(streamArn, consumer, consumerArn);
        return topologies.fresh(ref.stream()).thenApply(t -> {
            Consumer c = consumer(t, registered(t, ref).name()).orElseThrow();
            return ConsumerDescription.newBuilder().setConsumerName(c.getConsumerName()).setConsumerArn(c.getConsumerArn())
                    .setConsumerStatus(c.getConsumerStatus()).setConsumerCreationTimestampMs(c.getConsumerCreationTimestampMs())
                    .setStreamArn(StreamArns.stream(ref.stream())).build();
        });
    }

    CompletableFuture<ListStreamConsumersResponse> listConsumers(String streamArn, String nextToken, Integer maxResults) {
        String stream = StreamArns.parseStream(streamArn);
        int max = maxResults == null ? 100 : maxResults;
        if (max < 1 || max > 10_000) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "MaxResults must be 1 to 10000, got " + max + ".");
        }
        String after = nextToken == null || nextToken.isEmpty() ? "" : readToken(nextToken)[1];
        return topologies.fresh(stream).thenApply(t -> {
            List<StreamTopology.ConsumerInfo> cs = t.consumers().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                    .filter(c -> after.isEmpty() || c.name().compareTo(after) > 0).toList();
            ListStreamConsumersResponse.Builder b = ListStreamConsumersResponse.newBuilder();
            cs.stream().limit(max).forEach(c -> b.addConsumers(consumer(t, c.name()).orElseThrow()));
            if (cs.size() > max) {
                b.setNextToken(token(stream, cs.get(max - 1).name()));
            }
            return b.build();
        });
    }

    /** The consumer a request names, by consumer ARN or by (stream ARN, consumer name). */
    static StreamArns.ConsumerRef consumerRef(String streamArn, String consumer, String consumerArn) {
        if (consumerArn != null && !consumerArn.isEmpty()) {
            return StreamArns.parseConsumer(consumerArn);
        }
        if (streamArn == null || streamArn.isEmpty() || consumer == null || consumer.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "Either ConsumerARN, or StreamARN and ConsumerName, are required.");
        }
        StreamValidator.consumerName(consumer);
        return new StreamArns.ConsumerRef(StreamArns.parseStream(streamArn), consumer);
    }

    static Optional<Consumer> consumer(StreamTopology t, String name) {
        return t.consumers().stream().filter(c -> c.name().equals(name)).findFirst().map(c -> Consumer.newBuilder().setConsumerName(c.name())
                .setConsumerArn(StreamArns.consumer(t.name(), c.name(), c.createdAtMs())).setConsumerStatus("ACTIVE")
                .setConsumerCreationTimestampMs(c.createdAtMs()).build());
    }

    private static final StreamModeDetails PROVISIONED = StreamModeDetails.newBuilder().setStreamMode("PROVISIONED").build();

    /** A NextToken: (first, second, issued at), base64. They expire after 5 minutes (ExpiredNextTokenException). */
    private String token(String first, String second) {
        byte[] a = first.getBytes(StandardCharsets.UTF_8), b = second.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(4 + a.length + 4 + b.length + 8).putInt(a.length).put(a).putInt(b.length).put(b).putLong(clockMs.getAsLong());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    private String[] readToken(String token) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token));
            byte[] a = new byte[length(buf)];
            buf.get(a);
            byte[] b = new byte[length(buf)];
            buf.get(b);
            long issued = buf.getLong();
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            if (clockMs.getAsLong() - issued > NEXT_TOKEN_TTL_MS) {
                throw new BrokerException(ErrorCode.EXPIRED_NEXT_TOKEN, "NextToken has expired: tokens last " + NEXT_TOKEN_TTL_MS + " ms.");
            }
            return new String[] {new String(a, StandardCharsets.UTF_8), new String(b, StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "NextToken is not a valid token.");
        }
    }

    private static int length(ByteBuffer buf) {
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            throw new IllegalArgumentException("bad length");
        }
        return n;
    }

    static List<ShardInfo> shardsOf(StreamTopology t, List<String> ids) {
        List<ShardInfo> out = new ArrayList<>();
        for (String id : ids) {
            out.add(StreamReads.readable(t, id));
        }
        return out;
    }
}
