package io.pontoon.embedded;

import io.pontoon.api.v1.DeleteStreamRequest;
import io.pontoon.api.v1.ListStreamsRequest;
import io.pontoon.api.v1.ListStreamsResponse;
import io.pontoon.client.PontoonClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes every queue, topic and stream through the public API, the way a user would clean up, and waits until the
 * streams' deletions (which finish in the background, as in Kinesis) are done, so that every name is free again.
 */
final class Reset {
    private static final long STREAM_DELETION_TIMEOUT_MS = 30_000;
    private final PontoonClient client;

    Reset(PontoonClient client) {
        this.client = client;
    }

    void run() {
        client.listQueues("").forEach(client::deleteQueue);
        client.topics().listTopics().forEach(client.topics()::deleteTopic);
        List<String> streams = streams();
        streams.forEach(name -> client.streams().deleteStream(DeleteStreamRequest.newBuilder().setStreamName(name)
                .setEnforceConsumerDeletion(true).build()));
        long deadline = System.currentTimeMillis() + STREAM_DELETION_TIMEOUT_MS;
        while (!streams().isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("streams still being deleted after " + STREAM_DELETION_TIMEOUT_MS + " ms: " + streams());
            }
            try {
                Thread.sleep(20); // the deletion runs in the cluster's orchestrator round; nothing to wait on but its result
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while streams were deleted", e);
            }
        }
    }

    private List<String> streams() {
        List<String> names = new ArrayList<>();
        String token = "";
        do {
            ListStreamsResponse r = client.streams().listStreams(ListStreamsRequest.newBuilder().setLimit(1000).setNextToken(token).build());
            names.addAll(r.getStreamNamesList());
            token = r.getHasMoreStreams() ? r.getNextToken() : "";
        } while (!token.isEmpty());
        return names;
    }
}
