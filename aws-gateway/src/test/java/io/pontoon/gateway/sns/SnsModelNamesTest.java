package io.pontoon.gateway.sns;

import io.pontoon.api.v1.SnsProto;
import io.pontoon.gateway.ProtoJson;
import io.pontoon.gateway.SdkModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every member the SNS Query protocol reads or writes has the name the AWS SDK's SNS model gives it, for every
 * message of sns.proto with an SDK shape of the same name, and every SDK member is either served or listed here with
 * its reason: a misspelt member would be silently ignored on the way in and lost on the way out.
 */
class SnsModelNamesTest {
    /** Proto fields that {@link SnsQuery} renames into the model's shape. */
    private static final Map<String, String> TRANSLATED = Map.of("ListTopicsResponse.TopicArns", "Topics");
    /** SDK members without a proto field. */
    private static final Set<String> NOT_IN_PROTO = Set.of(
            "CreateTopicRequest.DataProtectionPolicy", // message data protection is not offered
            "PublishRequest.TargetArn", // read as TopicArn (SnsQuery)
            "PublishRequest.PhoneNumber"); // SMS is not delivered: refused by name (SnsQuery)

    @Test
    void everyProtoFieldHasTheSdkModelsMemberNameAndEverySdkMemberIsKnown() throws Exception {
        ProtoJson json = new ProtoJson(Map.of(), Map.of(), true);
        SdkModels.NameCheck check = SdkModels.nameProblems(SnsProto.getDescriptor(), json, "software.amazon.awssdk.services.sns.model", TRANSLATED, NOT_IN_PROTO);
        assertTrue(check.checkedShapes() > 30, "the SDK shapes were found (" + check.checkedShapes() + ")");
        assertEquals(List.of(), check.problems());
    }
}
