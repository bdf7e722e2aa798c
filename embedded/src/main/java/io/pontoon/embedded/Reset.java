package io.pontoon.embedded;

import io.pontoon.api.v1.DeleteStreamRequest;
import io.pontoon.api.v1.ListStreamsRequest;
import io.pontoon.api.v1.ListStreamsResponse;
import io.pontoon.client.PontoonClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes every queue, topic and stream through the public API, the way a user would clean up. Each call returns
 * once its deletion is done, so every name is free again when this does.
 */
final class Reset {
    private final PontoonClient client;

    Reset(PontoonClient client) {
        this.client = client;
    }

    void run() {
        client.listQueues("").forEach(client::deleteQueue);
        client.topics().listTopics().forEach(client.topics()::deleteTopic);
        // DeleteStream returns once the stream is gone (its partitions' data included), so its name is free at once.
        streams().forEach(name -> client.streams().deleteStream(DeleteStreamRequest.newBuilder().setStreamName(name)
                .setEnforceConsumerDeletion(true).build()));
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
