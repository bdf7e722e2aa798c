package io.pontoon.server.bridge;

import io.pontoon.core.queue.QueueCommand.IngestMessages;
import io.pontoon.server.stream.LaneRecord;
import io.pontoon.server.stream.Streams;
import io.pontoon.server.topic.QueueTargets;
import io.pontoon.server.topic.StreamTargets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Topic deliveries into streams: the topic model's {@link StreamTargets} port on the stream model's lane puts. A topic
 * partition's lane number is the same as for queues ({@link IngestMessages#topicLane}); each destination keeps its own
 * marks, so the two never meet.
 */
public final class TopicStreamTargets implements StreamTargets {
    private final Streams streams;

    public TopicStreamTargets(Streams streams) {
        this.streams = streams;
    }

    @Override
    public CompletableFuture<QueueTargets.Outcome> deliver(int sourcePartition, List<Record> records) {
        Map<String, List<Record>> byStream = new LinkedHashMap<>();
        records.forEach(r -> byStream.computeIfAbsent(r.stream(), s -> new ArrayList<>()).add(r));
        List<Long> delivered = new ArrayList<>(), missing = new ArrayList<>();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        byStream.forEach((stream, list) -> puts.add(streams.putFromLane(stream, IngestMessages.topicLane(sourcePartition),
                list.stream().map(r -> new LaneRecord(r.seq(), r.partitionKey(), r.data())).toList()).thenAccept(found -> {
                    synchronized (delivered) {
                        list.forEach(r -> (found ? delivered : missing).add(r.seq()));
                    }
                })));
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenApply(v -> new QueueTargets.Outcome(delivered, missing));
    }
}
