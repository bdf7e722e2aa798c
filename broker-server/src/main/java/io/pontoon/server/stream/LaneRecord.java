package io.pontoon.server.stream;

/** A record another model's fan-out puts into a stream: its sequence on the source's lane, partition key and data. */
public record LaneRecord(long laneSeq, String partitionKey, byte[] data) {
}
