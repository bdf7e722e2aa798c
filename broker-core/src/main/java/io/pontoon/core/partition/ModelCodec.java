package io.pontoon.core.partition;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;

/**
 * A model's encoding of its commands, results, queries and query results: the fields after the (model id,
 * type id) header that {@link PartitionCodec} writes. Field layouts only grow at the end of a version; a
 * layout change bumps {@link PartitionCodec}'s format version and the model reads both.
 */
public interface ModelCodec {

    void writeCommand(BinaryWriter w, PartitionCommand command);

    /** @param fieldsVersion the layout version of the fields (see {@link PartitionCodec#COMMAND_FIELDS_VERSION}) */
    PartitionCommand readCommand(BinaryReader r, int typeId, int fieldsVersion);

    void writeResult(BinaryWriter w, PartitionResult result);

    PartitionResult readResult(BinaryReader r, int typeId);

    void writeQuery(BinaryWriter w, PartitionQuery query);

    PartitionQuery readQuery(BinaryReader r, int typeId);

    void writeQueryResult(BinaryWriter w, QueryResult result);

    QueryResult readQueryResult(BinaryReader r, int typeId);
}
