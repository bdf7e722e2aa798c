package io.pontoon.server.bridge;

import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueCommand.IngestMessages;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.server.queue.QueueIngestor;
import io.pontoon.server.topic.QueueTargets;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Topic deliveries into queues: the topic model's {@link QueueTargets} port on the queue model's ingest path. Each
 * topic partition is its own inbox lane, so a fan-out resent after a failover is skipped at the destination.
 * (The bridge package is where one model hands work to another; the models themselves never meet.)
 */
public final class TopicQueueTargets implements QueueTargets {
    private final QueueIngestor ingestor;

    public TopicQueueTargets(QueueIngestor ingestor) {
        this.ingestor = ingestor;
    }

    @Override
    public CompletableFuture<Outcome> deliver(int sourcePartition, List<Message> messages) {
        List<MovedMessage> moved = messages.stream().map(TopicQueueTargets::moved).toList();
        return ingestor.ingest(IngestMessages.topicLane(sourcePartition), moved).thenApply(o -> new Outcome(o.delivered(), o.missing()));
    }

    private static MovedMessage moved(Message m) {
        SortedMap<String, MessageAttribute> attributes = new TreeMap<>();
        m.attributes().forEach((k, a) -> attributes.put(k, new MessageAttribute(a.dataType(), a.isBinary() ? null : a.stringValue(),
                a.isBinary() ? a.binaryValue() : null)));
        return new MovedMessage(m.seq(), m.queue(), "", false, null, m.messageId(), m.body(), attributes, m.sentMs(), 0, 0, m.groupId(),
                m.deduplicationId());
    }
}
