package io.pontoon.server.topic;

import io.pontoon.api.v1.BatchResultErrorEntry;
import io.pontoon.api.v1.PublishBatchResponse;
import io.pontoon.api.v1.PublishBatchResultEntry;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.topic.TopicCommand;
import io.pontoon.core.topic.TopicValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * PublishBatch's split of faults: the batch as a whole is checked first (a fault there fails the call), then each
 * entry; entries with a fault of their own are answered as failed and never reach the log, the rest are published
 * together as one command.
 */
final class PublishBatches {
    private PublishBatches() {
    }

    static CompletableFuture<PublishBatchResponse> publish(TopicRequests requests, String topicArn, List<TopicCommand.PublishEntry> entries) {
        // Whole-batch checks: entry count, ids, total size (entries are checked on their own below).
        String topic = io.pontoon.core.topic.TopicArns.topicName(topicArn, "TopicArn");
        TopicValidator.batch(entries);
        PublishBatchResponse.Builder b = PublishBatchResponse.newBuilder();
        List<TopicCommand.PublishEntry> good = new ArrayList<>();
        for (TopicCommand.PublishEntry e : entries) {
            try {
                TopicValidator.entry(e);
                TopicValidator.fifo(topic, e);
                good.add(e);
            } catch (BrokerException fault) {
                b.addFailed(BatchResultErrorEntry.newBuilder().setId(e.id()).setCode(fault.code().awsCode()).setMessage(fault.getMessage())
                        .setSenderFault(true));
            }
        }
        if (good.isEmpty()) {
            return CompletableFuture.completedFuture(b.build());
        }
        return requests.publish(topicArn, good).thenApply(p -> {
            for (int i = 0; i < good.size(); i++) {
                b.addSuccessful(PublishBatchResultEntry.newBuilder().setId(good.get(i).id()).setMessageId(p.messageIds().get(i))
                        .setSequenceNumber(p.sequenceNumbers().get(i)));
            }
            return b.build();
        });
    }
}
