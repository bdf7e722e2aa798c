package io.pontoon.core.partition;

/**
 * A command of a partition's log. Each model has its own sealed set (queue.QueueCommand, stream.StreamCommand);
 * a command's identity in the log is (model id, type id), both fixed forever (see broker-core/README.md).
 */
public interface PartitionCommand {

    Model model();

    /** The log type id of this command within its model. */
    int typeId();
}
