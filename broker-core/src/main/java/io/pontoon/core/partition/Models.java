package io.pontoon.core.partition;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.queue.QueueModel;
import io.pontoon.core.stream.StreamCodec;
import io.pontoon.core.stream.StreamModel;
import io.pontoon.core.topic.TopicCodec;
import io.pontoon.core.topic.TopicModel;

import java.util.List;

/**
 * The models a partition hosts: the one place that lists them. A fourth model adds its codec and its
 * {@link PartitionModel} here.
 */
public final class Models {
    private Models() {
    }

    public static ModelCodec codec(Model model) {
        return switch (model) {
            case QUEUE -> QueueCodec.INSTANCE;
            case STREAM -> StreamCodec.INSTANCE;
            case TOPIC -> TopicCodec.INSTANCE;
            case PARTITION -> throw new IllegalArgumentException("partition commands are encoded by PartitionCodec");
        };
    }

    /** The models' state machines for one partition, in {@link Model} order. */
    static List<PartitionModel> all(CoreConfig config) {
        return List.of(new QueueModel(config), new StreamModel(), new TopicModel());
    }
}
