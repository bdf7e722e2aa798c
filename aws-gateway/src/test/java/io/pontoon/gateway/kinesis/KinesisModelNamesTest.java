package io.pontoon.gateway.kinesis;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.pontoon.api.v1.KinesisProto;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.SdkModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every member the Kinesis protocol reads or writes has the name the AWS SDK's Kinesis model gives it, for every
 * message of kinesis.proto with an SDK shape of the same name; the proto fields the SDK does not know are Pontoon's
 * own (listed, each with its reason).
 */
class KinesisModelNamesTest {
    /** Pontoon's fields beyond the Kinesis API. */
    private static final Set<String> PONTOON_ONLY = Set.of(
            "CreateStreamRequest.EnforceShardLimits"); // per-shard rate limits on or off for the stream

    @Test
    void everyProtoFieldOfAnSdkShapeHasTheSdkModelsMemberName() throws Exception {
        ProtoJson json = KinesisProtocol.JSON;
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Descriptor message : KinesisProto.getDescriptor().getMessageTypes()) {
            Set<String> sdkNames = SdkModels.locationNames("software.amazon.awssdk.services.kinesis.model", message.getName());
            if (sdkNames == null) {
                continue;
            }
            checked++;
            for (FieldDescriptor field : message.getFields()) {
                String wire = json.wireName(field);
                if (!sdkNames.contains(wire) && !PONTOON_ONLY.contains(message.getName() + "." + wire)) {
                    problems.add(message.getName() + "." + field.getName() + " is written as " + wire + "; the SDK knows " + sdkNames);
                }
            }
        }
        assertTrue(checked > 30, "the SDK shapes were found (" + checked + ")");
        assertEquals(List.of(), problems);
    }

    /** GetRecords on a quiet shard says {@code "Records": []}: the Kinesis model requires it and clients index it directly. */
    @Test
    void theListsTheKinesisModelRequiresAreWrittenEvenWhenEmpty() {
        var written = KinesisProtocol.JSON.write(io.pontoon.api.v1.GetRecordsResponse.newBuilder().setNextShardIterator("it").build());
        assertTrue(written.get("Records").isArray() && written.get("Records").isEmpty(), written.toString());
        assertEquals(null, written.get("ChildShards"), "an optional list is still left out");
        assertTrue(KinesisProtocol.JSON.write(io.pontoon.api.v1.SubscribeToShardEvent.getDefaultInstance()).get("Records").isArray());
        assertTrue(KinesisProtocol.JSON.write(io.pontoon.api.v1.ListStreamsResponse.getDefaultInstance()).get("StreamNames").isArray());
    }
}
