package io.pontoon.gateway.sqs;

import io.pontoon.api.v1.SqsProto;
import io.pontoon.gateway.SdkModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every member name the gateway reads or writes is the one the AWS SDK's SQS model uses, for every message of
 * sqs.proto that has a shape of the same name in the SDK: a misspelt member would be silently ignored on the way in
 * and lost on the way out. The SDK members Pontoon has no field for are listed here, each for a reason.
 */
class SqsModelNamesTest {
    /** SDK members without a proto field: legacy or AWS-unimplemented parameters, and one answered by an alias. */
    private static final Set<String> NOT_IN_PROTO = Set.of(
            "MessageAttributeValue.StringListValues", "MessageAttributeValue.BinaryListValues", // "not implemented" in AWS either
            "MessageSystemAttributeValue.StringListValues", "MessageSystemAttributeValue.BinaryListValues",
            "ReceiveMessageRequest.AttributeNames", // read as MessageSystemAttributeNames (SqsJsonProtocol)
            "GetQueueUrlRequest.QueueOwnerAWSAccountId"); // Pontoon has one account

    @Test
    void everyProtoFieldHasTheSdkModelsMemberNameAndEverySdkMemberIsKnown() throws Exception {
        SdkModels.NameCheck check = SdkModels.nameProblems(SqsProto.getDescriptor(), SqsJsonProtocol.JSON, "software.amazon.awssdk.services.sqs.model", Map.of(), NOT_IN_PROTO);
        assertTrue(check.checkedShapes() > 40, "the SDK shapes were found (" + check.checkedShapes() + ")");
        assertEquals(List.of(), check.problems());
    }

    /** The batch results' lists are required in the SQS model: an answer with none successful still says {@code "Successful": []}. */
    @Test
    void theListsTheSqsModelRequiresAreWrittenEvenWhenEmpty() {
        var written = SqsJsonProtocol.JSON.write(io.pontoon.api.v1.SendMessageBatchResponse.getDefaultInstance());
        assertTrue(written.get("Successful").isArray() && written.get("Successful").isEmpty(), written.toString());
        assertTrue(written.get("Failed").isArray() && written.get("Failed").isEmpty(), written.toString());
        assertTrue(SqsJsonProtocol.JSON.write(io.pontoon.api.v1.ListDeadLetterSourceQueuesResponse.getDefaultInstance()).get("queueUrls").isArray());
        assertEquals(null, SqsJsonProtocol.JSON.write(io.pontoon.api.v1.ReceiveMessageResponse.getDefaultInstance()).get("Messages"),
                "an optional list is still left out");
    }
}
