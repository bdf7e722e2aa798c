package io.pontoon.core.partition;

/** A read-only question to a partition's applied state; each model has its own sealed set. */
public interface PartitionQuery {

    Model model();

    int typeId();
}
